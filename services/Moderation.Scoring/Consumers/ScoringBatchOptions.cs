using System.ComponentModel.DataAnnotations;
using MassTransit;

namespace Moderation.Scoring.Consumers;

/// <summary>How the worker gathers submissions into batches (see docs/scoring.md, "Throughput").</summary>
public sealed class ScoringBatchOptions
{
    public const string SectionName = "Scoring:Batch";

    /// <summary>Most submissions scored together: one query, one model pass, one insert.</summary>
    [Range(1, 500, ErrorMessage = "Scoring:Batch:Size must be between 1 and 500.")]
    public int Size { get; set; } = 50;

    /// <summary>
    /// Most queue messages taken into one batch. Ingestion sends groups of submissions (up to
    /// Ingestion:MaxCommentsPerMessage each, about a dozen under full load), so a batch of 5 holds ~60: it is scored
    /// <see cref="Size"/> at a time. Few messages keep the prefetched ones, and the worker's memory, bounded.
    /// </summary>
    [Range(1, 500, ErrorMessage = "Scoring:Batch:Messages must be between 1 and 500.")]
    public int Messages { get; set; } = 5;

    /// <summary>Longest a message waits for others to join its batch when the queue is not backed up.</summary>
    [Range(1, 1000, ErrorMessage = "Scoring:Batch:WaitMilliseconds must be between 1 and 1000.")]
    public int WaitMilliseconds { get; set; } = 20;

    /// <summary>Batches scored at once, so that one's database and Redis round trips overlap another's CPU.</summary>
    [Range(1, 16, ErrorMessage = "Scoring:Batch:Concurrency must be between 1 and 16.")]
    public int Concurrency { get; set; } = 2;

    public void Apply(BatchOptions batch) => batch
        .SetMessageLimit(Messages)
        .SetTimeLimit(TimeSpan.FromMilliseconds(WaitMilliseconds))
        .SetConcurrencyLimit(Concurrency)
        .SetConfigurationCallback((_, endpoint) =>
        {
            // Room for one more batch to gather while the others are scored.
            var inFlight = Messages * (Concurrency + 1);
            endpoint.PrefetchCount = inFlight;
            endpoint.ConcurrentMessageLimit = inFlight;
        });
}
