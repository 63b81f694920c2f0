using System.Threading.Channels;

namespace Moderation.ModerationApi.Models;

/// <summary>Job ids waiting for this instance's <see cref="TrainingJobRunner"/>; the job rows themselves are in the database.</summary>
public sealed class TrainingJobQueue
{
    private readonly Channel<Guid> _jobs = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public ValueTask EnqueueAsync(Guid jobId, CancellationToken ct = default) => _jobs.Writer.WriteAsync(jobId, ct);

    public IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken ct) => _jobs.Reader.ReadAllAsync(ct);
}
