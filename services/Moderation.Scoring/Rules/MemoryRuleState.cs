using Microsoft.Extensions.Options;

namespace Moderation.Scoring.Rules;

/// <summary>The standalone host's rule state: recent comments per site in process memory, compared one by one.</summary>
public sealed class MemoryRuleState(IOptions<RuleOptions> options) : IRuleState
{
    private const int MaxRecentPerSite = 5_000;
    private const int MaxSenders = 10_000;

    private readonly Dictionary<string, List<(DateTime At, Guid Id, Shingles Text)>> _texts = [];
    private readonly Dictionary<string, Dictionary<Guid, DateTime>> _senders = [];
    private readonly Lock _lock = new();

    public Task<IReadOnlyList<double>> RecordAndFindCopiesAsync(string siteId, Guid commentId, Shingles text, DateTime at, CancellationToken ct)
    {
        var cutoff = at - TimeSpan.FromMinutes(options.Value.DuplicateWindowMinutes);
        lock (_lock)
        {
            var recent = _texts.TryGetValue(siteId, out var list) ? list : _texts[siteId] = [];
            recent.RemoveAll(r => r.At < cutoff);
            if (recent.Count >= MaxRecentPerSite) recent.RemoveAt(0);
            IReadOnlyList<double> copies = [.. recent.Where(r => r.Id != commentId)
                .Select(r => text.Jaccard(r.Text)).Where(s => s >= options.Value.VariantSimilarity)];
            if (!recent.Any(r => r.Id == commentId)) recent.Add((at, commentId, text));
            return Task.FromResult(copies);
        }
    }

    public Task<(int FromIp, int FromEmail)> RecordAndCountRecentAsync(string siteId, Guid commentId, string? ip, string emailHash, DateTime at, CancellationToken ct)
    {
        var cutoff = at - TimeSpan.FromMinutes(options.Value.FloodWindowMinutes);
        lock (_lock)
        {
            var fromIp = ip is null ? 0 : Record($"{siteId}|ip|{ip}");
            return Task.FromResult((fromIp, Record($"{siteId}|email|{emailHash}")));
        }

        int Record(string key)
        {
            if (_senders.Count > MaxSenders) ForgetQuietSenders(cutoff);
            var comments = _senders.TryGetValue(key, out var c) ? c : _senders[key] = [];
            comments[commentId] = at;
            foreach (var old in comments.Where(kv => kv.Value < cutoff).Select(kv => kv.Key).ToList()) comments.Remove(old);
            return comments.Count;
        }
    }

    /// <summary>Drops senders with nothing inside the window, so a long-running host does not keep every address it ever saw.</summary>
    private void ForgetQuietSenders(DateTime cutoff)
    {
        foreach (var key in _senders.Where(s => s.Value.Values.All(at => at < cutoff)).Select(s => s.Key).ToList())
            _senders.Remove(key);
    }
}
