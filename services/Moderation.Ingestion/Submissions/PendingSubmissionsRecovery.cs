using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;

namespace Moderation.Ingestion.Submissions;

/// <summary>
/// Hands stored-but-unscored submissions to the scorer again (standalone mode): all of them at start-up, when
/// nothing can be in flight, and afterwards every few minutes those that have waited longer than a scoring can take.
/// The scorer is idempotent, so a comment handed over twice is still stored once.
/// </summary>
internal sealed partial class PendingSubmissionsRecovery(
    IServiceScopeFactory scopes,
    BrokerSubmissionQueue queue,
    ILogger<PendingSubmissionsRecovery> logger) : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ResumeAsync(DateTime.MaxValue, stoppingToken);
        using var timer = new PeriodicTimer(SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ResumeAsync(DateTime.UtcNow - SweepInterval, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex.Message);
            }
        }
    }

    private async Task ResumeAsync(DateTime submittedBefore, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var pending = await db.Comments.AsNoTracking()
            .Where(c => c.Status == CommentStatus.Pending && c.SubmittedAt < submittedBefore)
            .OrderBy(c => c.SubmittedAt)
            .ToListAsync(ct);
        // Handed over together, so that they travel in groups rather than one message each.
        foreach (var chunk in pending.Chunk(500))
            await Task.WhenAll(chunk.Select(c => queue.AcceptAsync(c.ToSubmission(), ct)));
        if (pending.Count > 0) LogResumed(logger, pending.Count);
    }

    [LoggerMessage(LogLevel.Warning, "Could not look for unscored submissions: {Error}")]
    private static partial void LogSweepFailed(ILogger logger, string error);

    [LoggerMessage(LogLevel.Information, "Handed {Count} stored but unscored submissions to the scorer again")]
    private static partial void LogResumed(ILogger logger, int count);
}
