using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Audit;
using Moderation.Data.Models;
using Moderation.Spam;
using Moderation.Spam.Training;

namespace Moderation.Scoring.Retraining;

/// <summary>
/// Runs one retraining job (<see cref="Consumers.RetrainSpamModelConsumer"/> calls it, one at a time per worker). A job is
/// claimed by moving its row from queued to running, so a redelivered command (a worker died holding it) never runs a
/// job twice; progress and a heartbeat go to the row, so the moderation API answers for it and
/// <see cref="InterruptedTrainingJobs"/> can tell a job whose worker died. A successful job registers the new version
/// (audited) and does not promote it.
/// </summary>
public sealed partial class TrainingJobRunner(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, TimeProvider clock,
    ILogger<TrainingJobRunner> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a running job's row is touched even when its progress does not move.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    public const string StoppedMessage = "Stopped: the worker running it shut down. Request a new retrain.";

    /// <summary>Runs the job if it is still queued; false when it was not (already run, running elsewhere, or failed).</summary>
    public async Task<bool> RunAsync(Guid jobId, CancellationToken cancellationToken)
    {
        // The worker stopping ends the job at once, rather than after the host's shutdown timeout.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var stoppingToken = stopping.Token;
        if (!await ClaimAsync(jobId, stoppingToken)) return false;
        LogJobStarted(logger, jobId);
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
                OperationCanceledException when stoppingToken.IsCancellationRequested => StoppedMessage,
                _ => $"Training failed: {ex.Message}",
            };
            if (ex is not NotEnoughLabelsException and not OperationCanceledException) LogJobFailed(logger, jobId, ex);
            await FinishAsync(jobId, TrainingJobState.Failed, message, null, CancellationToken.None);
        }
        return true;
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
        db.Audit.Add(AuditEntry.Of(clock.GetUtcNow().UtcDateTime, job.RequestedBy, "model.register", "model", model.Version, null, null,
            new { version = model.Version, trainer = model.Trainer, trainingJob = job.Id, metrics = JsonSerializer.Deserialize<JsonElement>(model.MetricsJson) }));
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

    [LoggerMessage(LogLevel.Information, "Training job {JobId} started")]
    private static partial void LogJobStarted(ILogger logger, Guid jobId);

    [LoggerMessage(LogLevel.Warning, "Could not write progress of training job {JobId}: {Error}")]
    private static partial void LogProgressFailed(ILogger logger, Guid jobId, string error);
}
