using System.Text.Json;
using Moderation.Data;
using Moderation.Spam.Sources;
using Moderation.Spam.Evaluation;

namespace Moderation.Spam.Training;

/// <summary>What to retrain from, and how much of the newest labels to keep aside for the check.</summary>
public sealed record RetrainOptions
{
    /// <summary>Only this site's labels; null: every site's.</summary>
    public string? SiteId { get; init; }

    /// <summary>Train on the seed corpus too (never held out): keeps a young site's model from knowing only its few labels.</summary>
    public bool IncludeSeedCorpus { get; init; } = true;

    /// <summary>Share of the labels, newest first, scored by the new model and never trained on.</summary>
    public double HoldOutShare { get; init; } = 0.2;

    /// <summary>The thresholds the held-out operating point is read at (normally the site's).</summary>
    public double ApproveBelow { get; init; } = ProposedThresholds.ApproveBelow;
    public double RejectAbove { get; init; } = ProposedThresholds.RejectAbove;

    public TrainingOptions Training { get; init; } = new() { Name = "labels" };
}

/// <summary>A stage of a retraining run and how far the whole run is (0 to 1).</summary>
public sealed record RetrainProgress(string Stage, double Fraction, string Message);

/// <summary>
/// A retrained model, not yet registered: pass <see cref="Version"/>, <see cref="Artifact"/>, <see cref="Trainer"/> and
/// <see cref="MetricsJson"/> to <c>ModelRegistry.RegisterAsync</c>, then promote it if <see cref="HeldOut"/> is good enough.
/// </summary>
public sealed record RetrainResult(
    string Version,
    string Trainer,
    byte[] Artifact,
    string MetricsJson,
    SpamModelMetadata Metadata,
    int HeldOutLabels,
    BinaryMetrics HeldOut,
    OperatingPoint HeldOutAtThresholds);

/// <summary>
/// Retrains the spam model from the moderators' labels, in process (for the admin API's background job and for
/// <c>moderation train --labels</c>): read labels → hold out the newest → train (learners compared by cross-validation)
/// → score the held-out labels → model bytes and metrics. The model returned is the one that was checked.
/// CPU-bound for tens of seconds to minutes: run it off the request path; cancellation is honoured between stages.
/// </summary>
public sealed class SpamModelRetrainer(ModerationDb db)
{
    public async Task<RetrainResult> RetrainAsync(RetrainOptions options, IProgress<RetrainProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.HoldOutShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.HoldOutShare, 1);
        progress?.Report(new RetrainProgress("reading", 0, "reading labels"));
        var labels = LabelledData.Deduplicate(await new[] { new DatabaseLabelledCommentSource(db, options.SiteId) }.ReadAllAsync(cancellationToken));
        var heldCount = (int)Math.Round(labels.Count * options.HoldOutShare);
        var heldOut = labels.Skip(labels.Count - heldCount).ToList();
        if (heldOut.Count(c => c.IsSpam) == 0 || heldOut.All(c => c.IsSpam))
            throw new InvalidOperationException(
                $"The newest {heldCount} of {labels.Count} labels need both spam and ham to check a new model; label more comments first.");
        var training = labels.Take(labels.Count - heldCount).ToList();
        if (options.IncludeSeedCorpus) training.AddRange(await TrainingCorpus.Sources().ReadAllAsync(cancellationToken));
        progress?.Report(new RetrainProgress("reading", 0.05,
            $"{labels.Count} labels: training on {labels.Count - heldCount}{(options.IncludeSeedCorpus ? " and the seed corpus" : "")}, checking on the newest {heldCount}"));

        var steps = EvaluationProtocol.Fits(options.Training.Candidates).Count * options.Training.Folds + 1;
        var done = 0;
        var trainerProgress = new SynchronousProgress<string>(message =>
            progress?.Report(new RetrainProgress("training", 0.05 + 0.85 * Math.Min(++done, steps) / steps, message)));
        cancellationToken.ThrowIfCancellationRequested();
        var trained = await Task.Run(() => new SpamModelTrainer(trainerProgress).Train(training, options.Training), cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new RetrainProgress("checking", 0.9, $"scoring the {heldCount} held-out labels with {trained.Metadata.Version}"));
        using var buffer = new MemoryStream();
        trained.Save(buffer);
        var artifact = buffer.ToArray();
        var model = SpamModel.Load(new MemoryStream(artifact, writable: false));
        var examples = EvaluationProtocol.ScoreWith(model, heldOut).Select(o => o.Example).ToList();
        var metrics = BinaryMetrics.Compute(examples);
        var point = OperatingPoint.At(examples, options.ApproveBelow, options.RejectAbove);
        var json = JsonSerializer.Serialize(new { model = trained.Metadata, heldOutLabels = heldCount, heldOut = metrics, heldOutAtThresholds = point },
            SpamModelMetadata.Json);
        progress?.Report(new RetrainProgress("done", 1, $"{trained.Metadata.Version}: held-out F1 {metrics.F1:0.000}, AUC {metrics.RocAuc:0.000}"));
        return new RetrainResult(trained.Metadata.Version, trained.Metadata.Trainer, artifact, json, trained.Metadata, heldCount, metrics, point);
    }
}
