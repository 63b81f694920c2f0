namespace Moderation.Scoring.Rules;

/// <summary>
/// What the rules remember between comments, shared by every worker (Redis in distributed mode,
/// process memory in standalone). Every call is idempotent on the comment id, so a redelivered message
/// counts once.
/// </summary>
public interface IRuleState
{
    /// <summary>Records the comment's text and returns its similarity to each other recent comment on the site that looks like a copy.</summary>
    Task<IReadOnlyList<double>> RecordAndFindCopiesAsync(string siteId, Guid commentId, Shingles text, DateTime at, CancellationToken ct);

    /// <summary>Records the comment and returns how many comments (it included) came from its IP and its email recently.</summary>
    Task<(int FromIp, int FromEmail)> RecordAndCountRecentAsync(string siteId, Guid commentId, string? ip, string emailHash, DateTime at, CancellationToken ct);

    /// <summary>Both of the above for one comment; a store may do them in one round trip.</summary>
    async Task<(IReadOnlyList<double> Copies, int FromIp, int FromEmail)> RecordAsync(
        string siteId, Guid commentId, Shingles text, string? ip, string emailHash, DateTime at, CancellationToken ct)
    {
        var copies = await RecordAndFindCopiesAsync(siteId, commentId, text, at, ct);
        var (fromIp, fromEmail) = await RecordAndCountRecentAsync(siteId, commentId, ip, emailHash, at, ct);
        return (copies, fromIp, fromEmail);
    }
}
