using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Models;
using Moderation.ModerationApi.Audit;

namespace Moderation.ModerationApi.Models;

/// <summary>
/// Fails the training jobs left "running" by an instance that died mid-job (its heartbeat stopped), at start-up and
/// then every <see cref="CheckInterval"/>, so that the job list tells the truth and an admin starts a new one. Only
/// stale jobs: with several instances, a fresh heartbeat is another instance still at work.
/// </summary>
public sealed partial class InterruptedTrainingJobs(IServiceScopeFactory scopes, AuditLog audit, TimeProvider clock,
    ILogger<InterruptedTrainingJobs> logger) : BackgroundService
{
    /// <summary>Six missed heartbeats: the instance is gone, not just slow.</summary>
    public static readonly TimeSpan StaleAfter = TrainingJobRunner.HeartbeatInterval * 6;
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(15);

    public const string InterruptedMessage = "Interrupted: the service restarted (or stopped answering) while training. Request a new retrain.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
            db.Audit.Add(audit.Entry("system", "model.retrainInterrupted", "trainingJob", job.Id.ToString(), null,
                new { state = "running", job.Progress, job.Message, job.HeartbeatAt }, new { state = "failed", message = InterruptedMessage }));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            LogInterrupted(logger, job.Id, job.HeartbeatAt ?? job.RequestedAt);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Training job {JobId} was left running (last heartbeat {HeartbeatAt:o}): marked failed")]
    private static partial void LogInterrupted(ILogger logger, Guid jobId, DateTime heartbeatAt);

    [LoggerMessage(LogLevel.Warning, "Could not look for interrupted training jobs: {Error}")]
    private static partial void LogCheckFailed(ILogger logger, string error);
}
