using Microsoft.AspNetCore.Http;

namespace Moderation.ServiceDefaults;

/// <summary>
/// Whose routes are whose: the widget's (public, called from the sites' pages, so CORS for their origins) and the
/// staff's (a credential on every call, personal data in the answers: no CORS, never cached).
/// </summary>
public static class ApiPaths
{
    public const string Moderation = "/api/v1/moderation";
    public const string Admin = "/api/v1/admin";

    /// <summary>Comments (read, submit, status, reports) and counts.</summary>
    public static bool IsWidget(PathString path) =>
        path.StartsWithSegments("/api/v1/comments") || path.StartsWithSegments("/api/v1/counts");

    public static bool IsStaff(PathString path) => path.StartsWithSegments(Moderation) || path.StartsWithSegments(Admin);
}
