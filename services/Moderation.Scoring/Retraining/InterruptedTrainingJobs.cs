using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Audit;
using Moderation.Data.Models;
using Moderation.Data.Outbox;
using Moderation.ServiceDefaults.Outbox;

namespace Moderation.Scoring.Retraining;

/// <summary>
/// Fails the training jobs left "running" by a worker that died mid-job (its heartbeat stopped), at start-up and
/// then every <see cref="CheckInterval"/>, so that the job list tells the truth and an admin starts a new one. Only
/// stale jobs: with several workers, a fresh heartbeat is another worker still at work. With
/// <paramref name="resendQueued"/> (the in-memory transport, which forgets its queues on a crash) the jobs still
/// queued at start-up are sent again; running a job claims it, so one sent twice still runs once.
/// </summary>
public sealed partial class InterruptedTrainingJobs(IServiceScopeFactory scopes, TimeProvider clock,
    ILogger<InterruptedTrainingJobs> logger, bool resendQueued = false) : BackgroundService
{
    /// <summary>Six missed heartbeats: the instance is gone, not just slow.</summary>
    public static readonly TimeSpan StaleAfter = TrainingJobRunner.HeartbeatInterval * 6;
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(15);

    public const string InterruptedMessage = "Interrupted: the service restarted (or stopped answering) while training. Request a new retrain.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (resendQueued) await ResendQueuedAsync(stoppingToken);
        using var timer = new PeriodicTimer(CheckInterval);
        do
        {
            try
            {
                await FailStaleJobsAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task FailStaleJobsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - StaleAfter;
        var stale = await db.TrainingJobs.AsNoTracking()
            .Where(j => j.State == TrainingJobState.Running && (j.HeartbeatAt ?? j.RequestedAt) < cutoff).ToListAsync(ct);
        foreach (var job in stale)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Conditional, so that of two instances looking at once only one fails (and audits) it.
            var failed = await db.TrainingJobs.Where(j => j.Id == job.Id && j.State == TrainingJobState.Running && (j.HeartbeatAt ?? j.RequestedAt) < cutoff)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, TrainingJobState.Failed)
                    .SetProperty(j => j.Message, InterruptedMessage).SetProperty(j => j.FinishedAt, now), ct);
            if (failed == 0) continue;
            db.Audit.Add(AuditEntry.Of(now, "system", "model.retrainInterrupted", "trainingJob", job.Id.ToString(), null,
                new { state = "running", job.Progress, job.Message, job.HeartbeatAt }, new { state = "failed", message = InterruptedMessage }));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            LogInterrupted(logger, job.Id, job.HeartbeatAt ?? job.RequestedAt);
        }
    }

    private async Task ResendQueuedAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
            var queued = await db.TrainingJobs.AsNoTracking().Where(j => j.State == TrainingJobState.Queued).OrderBy(j => j.RequestedAt)
                .Select(j => new RetrainSpamModel(j.Id, j.RequestedBy, j.RequestedAt)).ToListAsync(ct);
            if (queued.Count == 0) return;
            db.AddEvents(queued, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            scope.ServiceProvider.GetService<OutboxDispatcher>()?.Wake();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogResendFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not send the queued training jobs again: {Error}")]
    private static partial void LogResendFailed(ILogger logger, string error);

    [LoggerMessage(LogLevel.Warning, "Training job {JobId} was left running (last heartbeat {HeartbeatAt:o}): marked failed")]
    private static partial void LogInterrupted(ILogger logger, Guid jobId, DateTime heartbeatAt);

    [LoggerMessage(LogLevel.Warning, "Could not look for interrupted training jobs: {Error}")]
    private static partial void LogCheckFailed(ILogger logger, string error);
}
