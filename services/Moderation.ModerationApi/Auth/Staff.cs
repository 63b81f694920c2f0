using System.Security.Claims;
using Moderation.Data.Access;

namespace Moderation.ModerationApi.Auth;

/// <summary>The claims every credential (API key or SSO token) is turned into, and what they allow.</summary>
public static class Staff
{
    public const string ModeratorRole = "moderator";
    public const string AdminRole = "admin";
    public const string SiteClaim = "moderation:site";
    public const string KeyIdClaim = "moderation:key";

    /// <summary>Policies: admins may do everything moderators may.</summary>
    public const string ModeratorPolicy = "moderator";
    public const string AdminPolicy = "admin";

    public static string RoleName(StaffRole role) => KeyView.RoleName(role);

    public static ClaimsIdentity Identity(string scheme, string name, StaffRole role, IEnumerable<string> sites, Guid? keyId = null)
    {
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim(ClaimTypes.Role, RoleName(role)));
        foreach (var site in sites) identity.AddClaim(new Claim(SiteClaim, site));
        if (keyId is { } id) identity.AddClaim(new Claim(KeyIdClaim, id.ToString()));
        return identity;
    }

    /// <summary>Who did it, for the audit log and the decision columns.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    /// <summary>The sites this person may act on; null means every site.</summary>
    public static IReadOnlyList<string>? Sites(this ClaimsPrincipal user)
    {
        var sites = user.FindAll(SiteClaim).Select(c => c.Value).ToArray();
        return sites.Length == 0 ? null : sites;
    }

    public static bool CanActOn(this ClaimsPrincipal user, string siteId) =>
        user.Sites() is not { } sites || sites.Contains(siteId, StringComparer.Ordinal);

    /// <summary>403 naming the site, for a credential scoped to other sites.</summary>
    public static IResult ForbiddenSite(string siteId) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Forbidden",
        detail: $"This credential may not act on site '{siteId}'.");
}
