using Prometheus;

namespace Moderation.ServiceDefaults;

/// <summary>What an operator watches on election night, exposed at <c>/metrics</c> for Prometheus.</summary>
public static class ModerationMetrics
{
    public static readonly Counter CommentsAccepted = Metrics.CreateCounter(
        "moderation_comments_accepted_total", "Comments accepted (202) by ingestion.", "site");

    public static readonly Counter CommentsScored = Metrics.CreateCounter(
        "moderation_comments_scored_total", "Comments scored by the worker, by decision.", "site", "decision");

    public static readonly Histogram ScoringSeconds = Metrics.CreateHistogram(
        "moderation_scoring_seconds", "Time to score, store and announce one comment.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 12) });

    public static readonly Counter ReadCacheLookups = Metrics.CreateCounter(
        "moderation_read_cache_lookups_total", "Read API cache lookups, by result (hit, miss, unavailable).", "result");
}
