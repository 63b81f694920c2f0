using System.Globalization;
using System.Security.Claims;
using Moderation.Data.Sites;
using Moderation.ModerationApi.Auth;

namespace Moderation.ModerationApi.Queues;

/// <summary>The checks a queue listing, the counts and a decision by filter share: which sites, which ranges.</summary>
public static class QueueScope
{
    /// <summary>
    /// The sites a request means: the one it names, else every site the credential may act on (null: all).
    /// A site the credential may not act on is a 403 (before existence, so a scoped key learns nothing of other sites).
    /// </summary>
    public static (IReadOnlyList<string>? Sites, IResult? Problem) Sites(ClaimsPrincipal user, ISiteRegistry registry, string? siteId,
        Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(siteId)) return (user.Sites(), null);
        if (!user.CanActOn(siteId)) return (null, Staff.ForbiddenSite(siteId));
        if (registry.Find(siteId) is null) errors["siteId"] = [$"Unknown site '{siteId}'."];
        return ([siteId], null);
    }

    public static void CheckRanges(double? minScore, double? maxScore, DateTime? from, DateTime? to, Dictionary<string, string[]> errors)
    {
        if (minScore is < 0 or > 1) errors["minScore"] = ["minScore must be between 0 and 1."];
        if (maxScore is < 0 or > 1) errors["maxScore"] = ["maxScore must be between 0 and 1."];
        if (minScore > maxScore) errors["minScore"] = ["minScore must not be above maxScore."];
        if (from > to) errors["from"] = ["from must not be after to."];
    }

    /// <summary>Parses an optional query value, or records why it cannot be parsed.</summary>
    public static T? Parse<T>(string? text, string field, Dictionary<string, string[]> errors, string expected) where T : struct, ISpanParsable<T>
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (T.TryParse(text, CultureInfo.InvariantCulture, out var value)) return value;
        errors[field] = [$"{field} must be {expected}."];
        return null;
    }

    public static DateTime? ParseTime(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
            return DateTime.SpecifyKind(value, DateTimeKind.Utc);
        errors[field] = [$"{field} must be an ISO-8601 time, e.g. 2026-11-27T08:00:00Z."];
        return null;
    }
}
