using System.Security.Claims;

namespace Moderation.ModerationApi.Auth;

/// <summary>What a credential limited to some sites may not do: anything that reaches every site at once.</summary>
public static class AdminScope
{
    public static bool ActsOnEverySite(this ClaimsPrincipal user) => user.Sites() is null;

    /// <summary>403 for a site-scoped credential asking for something that spans every site (models, privacy).</summary>
    public static IResult ForbiddenAcrossSites(string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Forbidden",
        detail: $"This credential is limited to some sites; {what} concerns every site.");

    public static IResult NotFound(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
