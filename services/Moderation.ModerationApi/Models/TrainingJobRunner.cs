using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Models;
using Moderation.ModerationApi.Audit;
using Moderation.Spam;

namespace Moderation.ModerationApi.Models;

/// <summary>
/// Runs retraining jobs one at a time, in the background. A job is claimed by moving its row from queued to running (so
/// no two instances run one job); progress and a heartbeat go to the row, so any instance can answer for it (and
/// <see cref="InterruptedTrainingJobs"/> can tell a job whose instance died). A successful job registers the new version
/// (audited) and does not promote it.
/// </summary>
public sealed partial class TrainingJobRunner(TrainingJobQueue queue, IServiceScopeFactory scopes, AuditLog audit,
    TimeProvider clock, ILogger<TrainingJobRunner> logger) : BackgroundService
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a running job's row is touched even when its progress does not move.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ResumeQueuedAsync(stoppingToken);
        await foreach (var jobId in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(jobId, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogJobCrashed(logger, jobId, ex);
            }
        }
    }

    /// <summary>Jobs another instance accepted and never started (it stopped first) are run here.</summary>
    private async Task ResumeQueuedAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
            foreach (var id in await db.TrainingJobs.Where(j => j.State == TrainingJobState.Queued).OrderBy(j => j.RequestedAt).Select(j => j.Id).ToListAsync(ct))
                await queue.EnqueueAsync(id, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogResumeFailed(logger, ex.Message);
        }
    }

    private async Task RunAsync(Guid jobId, CancellationToken stoppingToken)
    {
        if (!await ClaimAsync(jobId, stoppingToken)) return;
        var progress = new JobProgress();
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var writer = WriteProgressAsync(jobId, progress, stopWriting.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var model = await scope.ServiceProvider.GetRequiredService<IModelRetrainer>().RetrainAsync(progress, stoppingToken);
            await stopWriting.CancelAsync();
            await writer;
            await RegisterAsync(jobId, model, stoppingToken);
        }
        catch (Exception ex)
        {
            await stopWriting.CancelAsync();
            await writer;
            var message = ex switch
            {
                NotEnoughLabelsException => ex.Message,
                OperationCanceledException when stoppingToken.IsCancellationRequested => "Stopped: the instance running it shut down. Request a new retrain.",
                _ => $"Training failed: {ex.Message}",
            };
            if (ex is not NotEnoughLabelsException and not OperationCanceledException) LogJobFailed(logger, jobId, ex);
            await FinishAsync(jobId, TrainingJobState.Failed, message, null, CancellationToken.None);
        }
    }

    private async Task<bool> ClaimAsync(Guid jobId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.TrainingJobs.Where(j => j.Id == jobId && j.State == TrainingJobState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, TrainingJobState.Running).SetProperty(j => j.Message, "starting")
                .SetProperty(j => j.HeartbeatAt, now), ct) == 1;
    }

    /// <summary>
    /// Writes the latest progress to the job's row every <see cref="ProgressInterval"/> while it changes, and the
    /// heartbeat at least every <see cref="HeartbeatInterval"/>.
    /// </summary>
    private async Task WriteProgressAsync(Guid jobId, JobProgress progress, CancellationToken ct)
    {
        TrainingProgress? written = null;
        var beat = clock.GetUtcNow().UtcDateTime;
        using var timer = new PeriodicTimer(ProgressInterval);
        try
        {
            do
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var latest = progress.Latest;
                if (latest is not null && latest != written || now - beat >= HeartbeatInterval)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
                    var fraction = latest?.Fraction ?? 0;
                    var message = Truncate(latest?.Message ?? "starting");
                    await db.TrainingJobs.Where(j => j.Id == jobId && j.State == TrainingJobState.Running)
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.Progress, fraction).SetProperty(j => j.Message, message)
                            .SetProperty(j => j.HeartbeatAt, now), ct);
                    written = latest;
                    beat = now;
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
            // The job finished (or the instance is stopping): the final state is written by the caller.
        }
        catch (Exception ex)
        {
            LogProgressFailed(logger, jobId, ex.Message);
        }
    }

    private async Task RegisterAsync(Guid jobId, RetrainedModel model, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var job = await db.TrainingJobs.SingleAsync(j => j.Id == jobId, ct);
        job.State = TrainingJobState.Succeeded;
        job.Progress = 1;
        job.ResultVersion = model.Version;
        job.FinishedAt = clock.GetUtcNow().UtcDateTime;
        if (await db.SpamModels.AnyAsync(m => m.Version == model.Version, ct))
        {
            // Same labels, learners and seed as an earlier run: the same model, already registered.
            job.Message = $"No new labels since {model.Version} was trained: it is the same model, already registered.";
            await db.SaveChangesAsync(ct);
            return;
        }
        job.Message = Truncate($"Registered {model.Version} ({model.Trainer}); promote it to serve it.");
        db.Audit.Add(audit.Entry(job.RequestedBy, "model.register", "model", model.Version, null, null,
            new { version = model.Version, trainer = model.Trainer, trainingJob = job.Id, metrics = StoredJson.Parse(model.MetricsJson) }));
        // One save: the version, its audit entry and the job's result.
        await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RegisterAsync(model.Version, model.Artifact, model.Trainer, model.MetricsJson, ct);
    }

    private async Task FinishAsync(Guid jobId, TrainingJobState state, string message, string? version, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var text = Truncate(message);
        await db.TrainingJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, state).SetProperty(j => j.Message, text)
            .SetProperty(j => j.ResultVersion, version).SetProperty(j => j.FinishedAt, now), ct);
    }

    private static string Truncate(string message) => message.Length <= 500 ? message : message[..497] + "…";

    /// <summary>Keeps only the latest report; the writer picks it up.</summary>
    private sealed class JobProgress : IProgress<TrainingProgress>
    {
        private readonly Lock _gate = new();
        private TrainingProgress? _latest;

        public TrainingProgress? Latest
        {
            get
            {
                lock (_gate) return _latest;
            }
        }

        public void Report(TrainingProgress value)
        {
            lock (_gate) _latest = value;
        }
    }

    [LoggerMessage(LogLevel.Error, "Training job {JobId} failed")]
    private static partial void LogJobFailed(ILogger logger, Guid jobId, Exception ex);

    [LoggerMessage(LogLevel.Error, "Training job {JobId} could not be run")]
    private static partial void LogJobCrashed(ILogger logger, Guid jobId, Exception ex);

    [LoggerMessage(LogLevel.Warning, "Could not look for queued training jobs: {Error}")]
    private static partial void LogResumeFailed(ILogger logger, string error);

    [LoggerMessage(LogLevel.Warning, "Could not write progress of training job {JobId}: {Error}")]
    private static partial void LogProgressFailed(ILogger logger, Guid jobId, string error);
}
