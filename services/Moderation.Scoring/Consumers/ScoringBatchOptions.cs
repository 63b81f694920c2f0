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

    /// <summary>Longest a submission waits for others to join its batch when the queue is not backed up.</summary>
    [Range(1, 1000, ErrorMessage = "Scoring:Batch:WaitMilliseconds must be between 1 and 1000.")]
    public int WaitMilliseconds { get; set; } = 20;

    /// <summary>Batches scored at once, so that one's database and Redis round trips overlap another's CPU.</summary>
    [Range(1, 16, ErrorMessage = "Scoring:Batch:Concurrency must be between 1 and 16.")]
    public int Concurrency { get; set; } = 2;

    public void Apply(BatchOptions batch) => batch
        .SetMessageLimit(Size)
        .SetTimeLimit(TimeSpan.FromMilliseconds(WaitMilliseconds))
        .SetConcurrencyLimit(Concurrency)
        .SetConfigurationCallback((_, endpoint) =>
        {
            // Room for one more batch to gather while the others are scored.
            var inFlight = Size * (Concurrency + 1);
            endpoint.PrefetchCount = inFlight;
            endpoint.ConcurrentMessageLimit = inFlight;
        });
}
