using System.Runtime;
using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Sites;
using Moderation.Spam;
using Moderation.Scoring.Scoring;

namespace Moderation.Scoring.Serving;

/// <summary>
/// The model this worker serves: the active version in the database, or the shipped default when none is.
/// Swapped atomically when a new version is promoted; a version that fails to load leaves the old one serving.
/// </summary>
public sealed partial class ModelHolder(IServiceScopeFactory scopes, IModelLoader loader, ILogger<ModelHolder> logger)
    : BackgroundService, ICommentScorer
{
    /// <summary>A safety net for a missed promotion event; the event itself arrives within a second.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly TaskCompletionSource<Served> _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Served? _served;

    /// <summary>The version being served.</summary>
    public string Version => _served is null ? "none" : _served.Version ?? ModelRegistry.DefaultVersion;

    /// <summary>The last promoted version this worker could not load (and so does not serve).</summary>
    public string? LastFailedVersion { get; private set; }

    public async ValueTask<ScoreResult> ScoreAsync(CommentSubmitted submission, Site site, CancellationToken cancellationToken)
    {
        var served = await ServedAsync(cancellationToken);
        return await served.Scorer.ScoreAsync(submission, site, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ScoreResult>> ScoreBatchAsync(IReadOnlyList<(CommentSubmitted Submission, Site Site)> batch, CancellationToken cancellationToken)
    {
        var served = await ServedAsync(cancellationToken);
        return await served.Scorer.ScoreBatchAsync(batch, cancellationToken);
    }

    // The bus may deliver before the first load finishes at start-up: wait for it rather than fail.
    private async ValueTask<Served> ServedAsync(CancellationToken ct) => _served ?? await _firstLoad.Task.WaitAsync(ct);

    /// <summary>Serves the active version (on a promotion: tries it even if it failed before).</summary>
    public Task ReloadAsync(CancellationToken ct) => ReloadAsync(retryFailed: true, ct);

    /// <summary>
    /// What the periodic check does: as <see cref="ReloadAsync(CancellationToken)"/>, but a version that failed to load is
    /// left alone until it is promoted again. Loading is deterministic, and each try read its whole file and logged the failure.
    /// </summary>
    public Task RecheckAsync(CancellationToken ct) => ReloadAsync(retryFailed: false, ct);

    private async Task ReloadAsync(bool retryFailed, CancellationToken ct)
    {
        await _reloading.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
            var active = await db.SpamModels.AsNoTracking().Where(m => m.IsActive).Select(m => m.Version).FirstOrDefaultAsync(ct);
            if (active is null)
            {
                if (_served is null or { IsDefault: false }) Swap(new Served(loader.LoadDefault(), null));
                return;
            }
            if (_served?.Version == active || (!retryFailed && active == LastFailedVersion)) return;

            var artifact = await db.SpamModels.AsNoTracking().Where(m => m.Version == active).Select(m => m.Artifact).SingleAsync(ct);
            try
            {
                Swap(new Served(loader.Load(active, artifact), active));
            }
            catch (Exception ex)
            {
                LastFailedVersion = active;
                LogLoadFailed(logger, ex, active, Version);
                if (_served is null) Swap(new Served(loader.LoadDefault(), null));
            }
        }
        finally
        {
            _reloading.Release();
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RecheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RecheckAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRecheckFailed(logger, ex.Message);
            }
        }
    }

    private void Swap(Served next)
    {
        var previous = Version;
        _served = next;
        _firstLoad.TrySetResult(next);
        CompactHeap();
        var how = next.Scorer is MlScorer ml ? $"{ml.Model.Version}, {ml.Model.Serving}" : next.Scorer.GetType().Name;
        LogServing(logger, $"{next.Version ?? "default"} ({how})", previous);
    }

    /// <summary>
    /// Loading a model leaves its read buffers as garbage on the large object heap, which the GC does not compact on its
    /// own, so a host would keep them resident for good (with the model replaced, if any). Swaps are rare: one blocking,
    /// compacting collection that returns the memory costs little.
    /// </summary>
    private static void CompactHeap()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    [LoggerMessage(LogLevel.Information, "Serving spam model {Version} (was {Previous})")]
    private static partial void LogServing(ILogger logger, string version, string previous);

    [LoggerMessage(LogLevel.Error, "Spam model {Version} failed to load; still serving {Current}")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string version, string current);

    [LoggerMessage(LogLevel.Warning, "Could not check for a newly promoted model: {Error}")]
    private static partial void LogRecheckFailed(ILogger logger, string error);

    private sealed record Served(ICommentScorer Scorer, string? Version)
    {
        public bool IsDefault => Version is null;
    }
}
