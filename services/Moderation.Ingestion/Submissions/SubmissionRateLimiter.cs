using System.Threading.RateLimiting;

namespace Moderation.Ingestion.Submissions;

/// <summary>
/// Comments per minute from one IP to one site, as the site allows. Counted per instance: behind a load
/// balancer with N instances a flood gets at most N times the limit through, and the scorer's flood rule holds the rest.
/// </summary>
public sealed class SubmissionRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(string Site, string Ip, int Limit)> _limiter =
        PartitionedRateLimiter.Create<(string Site, string Ip, int Limit), (string, string, int)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
            {
                PermitLimit = k.Limit,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));

    /// <summary>Takes one permit; when none is left, says how long until the next one.</summary>
    public bool TryAcquire(string siteId, string ip, int perMinute, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire((siteId, ip, Math.Max(1, perMinute)));
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
