using System.Text.RegularExpressions;
using Moderation.Data;
using Moderation.Data.Sites;

namespace Moderation.ModerationApi.Sites;

/// <summary>
/// Checks a create or update against the rules below and, only when all pass, writes it onto the site, normalised:
/// origins as <c>scheme://host[:port]</c> in lower case, word lists trimmed and without blanks or repeats.
/// </summary>
public static partial class SiteValidation
{
    public const int MaxNameLength = 200;
    public const int MaxOrigins = 50;
    public const int MaxWords = 500;
    public const int MaxWordLength = 100;
    public const int MaxLinksLimit = 100;
    public const int MaxCloseAfterDays = 3650;
    public const int MaxCommentsPerMinute = 10_000;
    public const int MaxReportsToHold = 1_000;

    /// <summary>
    /// Validates <paramref name="request"/> as a change to <paramref name="site"/> and applies it when valid. Each field sent
    /// is checked; the thresholds' order is checked with the site's values for those not sent (a value seeded from
    /// configuration outside these bounds does not block other changes). Returns the errors by field; empty means applied.
    /// </summary>
    public static Dictionary<string, string[]> TryApply(SiteRequest request, Site site, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        if (creating && !IsSiteId(request.Id))
            errors["id"] = [$"An id of 1 to {FieldLimits.SiteId} characters is required: lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit."];

        var name = request.Name?.Trim();
        if ((creating || request.Name is not null) && (string.IsNullOrEmpty(name) || name.Length > MaxNameLength))
            errors["name"] = [$"A name of 1 to {MaxNameLength} characters is required."];

        var origins = request.AllowedOrigins is null ? site.AllowedOrigins : NormaliseOrigins(request.AllowedOrigins, errors);

        var approveBelow = request.ApproveBelow ?? site.ApproveBelow;
        var rejectAbove = request.RejectAbove ?? site.RejectAbove;
        if (!IsProbability(approveBelow)) errors["approveBelow"] = ["approveBelow must be between 0 and 1."];
        if (!IsProbability(rejectAbove)) errors["rejectAbove"] = ["rejectAbove must be between 0 and 1."];
        else if (IsProbability(approveBelow) && approveBelow > rejectAbove)
            errors["rejectAbove"] = [$"rejectAbove ({rejectAbove}) must not be below approveBelow ({approveBelow})."];

        var maxLinks = request.MaxLinks ?? site.MaxLinks;
        if (request.MaxLinks is not null && maxLinks is < 0 or > MaxLinksLimit) errors["maxLinks"] = [$"maxLinks must be between 0 and {MaxLinksLimit}."];

        var holdWords = request.HoldWords is null ? site.HoldWords : NormaliseWords("holdWords", request.HoldWords, errors);
        var blockWords = request.BlockWords is null ? site.BlockWords : NormaliseWords("blockWords", request.BlockWords, errors);

        var closeAfterDays = request.CloseAfterDaysGiven ? request.CloseAfterDays : site.CloseAfterDays;
        if (request.CloseAfterDaysGiven && closeAfterDays is < 1 or > MaxCloseAfterDays)
            errors["closeAfterDays"] = [$"closeAfterDays must be between 1 and {MaxCloseAfterDays}, or null for threads that never close."];

        var perMinute = request.CommentsPerMinutePerIp ?? site.CommentsPerMinutePerIp;
        if (request.CommentsPerMinutePerIp is not null && perMinute is < 1 or > MaxCommentsPerMinute)
            errors["commentsPerMinutePerIp"] = [$"commentsPerMinutePerIp must be between 1 and {MaxCommentsPerMinute}."];

        var reportsToHold = request.ReportsToHold ?? site.ReportsToHold;
        if (request.ReportsToHold is not null && reportsToHold is < 1 or > MaxReportsToHold)
            errors["reportsToHold"] = [$"reportsToHold must be between 1 and {MaxReportsToHold}."];

        if (errors.Count > 0) return errors;

        if (creating) site.Id = request.Id!;
        if (name is not null) site.Name = name;
        site.AllowedOrigins = [.. origins];
        site.ApproveBelow = approveBelow;
        site.RejectAbove = rejectAbove;
        site.MaxLinks = maxLinks;
        site.HoldWords = [.. holdWords];
        site.BlockWords = [.. blockWords];
        site.PremoderateAll = request.PremoderateAll ?? site.PremoderateAll;
        site.TrustApprovedAuthors = request.TrustApprovedAuthors ?? site.TrustApprovedAuthors;
        site.HoldFirstComments = request.HoldFirstComments ?? site.HoldFirstComments;
        site.CloseAfterDays = closeAfterDays;
        site.CommentsPerMinutePerIp = perMinute;
        site.ReportsToHold = reportsToHold;
        return errors;
    }

    public static bool IsSiteId(string? id) => id is { Length: > 0 and <= FieldLimits.SiteId } && SiteId().IsMatch(id);

    private static bool IsProbability(double value) => value is >= 0 and <= 1;

    /// <summary>Origins as browsers send them: scheme, host and a port only when it is not the scheme's default.</summary>
    private static List<string> NormaliseOrigins(List<string> origins, Dictionary<string, string[]> errors)
    {
        var normalised = new List<string>();
        var bad = new List<string>();
        foreach (var origin in origins)
        {
            var text = origin?.Trim() ?? "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && uri.UserInfo.Length == 0 && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0
                && !text.TrimEnd('/').EndsWith(':') && text.Count(c => c == '/') <= 3 && uri.Host.Length > 0)
            {
                var value = Site.OriginOf(uri);
                if (!normalised.Contains(value, StringComparer.Ordinal)) normalised.Add(value);
            }
            else
            {
                bad.Add(text);
            }
        }
        if (bad.Count > 0)
            errors["allowedOrigins"] = [$"Origins must be http(s)://host[:port] with nothing after: {string.Join(", ", bad.Select(b => $"'{b}'"))}."];
        else if (normalised.Count > MaxOrigins)
            errors["allowedOrigins"] = [$"At most {MaxOrigins} origins."];
        return normalised;
    }

    private static List<string> NormaliseWords(string field, List<string> words, Dictionary<string, string[]> errors)
    {
        var kept = new List<string>();
        foreach (var word in words)
        {
            var trimmed = word?.Trim() ?? "";
            if (trimmed.Length > 0 && !kept.Contains(trimmed, StringComparer.OrdinalIgnoreCase)) kept.Add(trimmed);
        }
        if (kept.Count > MaxWords)
            errors[field] = [$"At most {MaxWords} words or phrases."];
        else if (kept.FirstOrDefault(w => w.Length > MaxWordLength) is { } tooLong)
            errors[field] = [$"Each word or phrase is at most {MaxWordLength} characters; '{tooLong[..20]}…' is longer."];
        return kept;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")]
    private static partial Regex SiteId();
}
