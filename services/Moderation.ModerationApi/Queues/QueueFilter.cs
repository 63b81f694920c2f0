using Moderation.Data.Comments;

namespace Moderation.ModerationApi.Queues;

public enum QueueName
{
    Held,
    Reported,
    Spam,

    /// <summary>Published by the scorer without a person, recently: for post-moderation spot checks.</summary>
    Approved,
}

public enum QueueSort
{
    Newest,
    Oldest,

    /// <summary>Highest score first.</summary>
    Score,
    ScoreAsc,
}

/// <summary>
/// Which comments a queue listing, a count or a decision by filter means. <see cref="Sites"/> is already the
/// intersection of the request and the credential's scope: null means every site.
/// </summary>
public sealed record QueueFilter(
    QueueName Queue,
    IReadOnlyList<string>? Sites,
    string? ThreadId = null,
    string? Reason = null,
    double? MinScore = null,
    double? MaxScore = null,
    DateTime? From = null,
    DateTime? To = null)
{
    /// <summary>How far back the approved queue looks: spot checks are about what was just published.</summary>
    public static readonly TimeSpan RecentlyApproved = TimeSpan.FromHours(24);

    /// <summary>Short reason codes the console offers, and the words of the stored reasons they stand for.</summary>
    private static readonly Dictionary<string, string> ReasonCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["honeypot"] = "honeypot",
        ["tooFast"] = "faster than a person",
        ["banned"] = "banned",
        ["blockWord"] = "blocked word",
        ["holdWord"] = "held word",
        ["link"] = "link",
        ["duplicate"] = "same text",
        ["flood"] = "comments from this",
        ["premoderate"] = "premoderates",
        ["firstComment"] = "first comment",
        ["trusted"] = "approved comment",
    };

    /// <summary>The lower-case text a stored reason must contain for <see cref="Reason"/> to match.</summary>
    public string? ReasonText => Reason is null ? null : (ReasonCodes.GetValueOrDefault(Reason) ?? Reason).ToLowerInvariant();

    public static bool TryParseQueue(string? text, out QueueName queue) =>
        Enum.TryParse(text, ignoreCase: true, out queue) && Enum.IsDefined(queue) && !int.TryParse(text, out _);

    public static bool TryParseSort(string? text, out QueueSort sort) =>
        Enum.TryParse(text, ignoreCase: true, out sort) && Enum.IsDefined(sort) && !int.TryParse(text, out _);

    public static string Name(QueueName queue) => queue.ToString().ToLowerInvariant();

    public static string Name(QueueSort sort) => sort == QueueSort.ScoreAsc ? "scoreAsc" : sort.ToString().ToLowerInvariant();

    public static string Name(CommentStatus status) => status.ToString().ToLowerInvariant();
}
