using System.Text.Json;
using Microsoft.Extensions.Options;
using Moderation.Data;
using Moderation.Scoring.Model;
using Moderation.Scoring.Model.Data;
using Moderation.Scoring.Model.Evaluation;
using Moderation.Scoring.Model.Training;

namespace Moderation.ModerationApi.Models;

/// <summary>
/// Reads the labels, holds out the newest share, trains (learners compared by cross-validation, the seed corpus added when
/// configured), scores the held-out labels with the model it returns: the metrics stored are those of that very model.
/// </summary>
public sealed class LabelRetrainer(ModerationDb db, IOptions<ModelTrainingOptions> options) : IModelRetrainer
{
    public async Task<RetrainedModel> RetrainAsync(IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        progress.Report(new(0.01, "reading labels"));
        var labels = await LabelReader.ReadAsync(db, cancellationToken);
        EnsureEnough(labels, settings.MinimumLabels);
        var (training, heldOut) = LabelReader.Split(labels, settings.HoldOutShare);
        if (heldOut.All(c => c.IsSpam) || heldOut.All(c => !c.IsSpam))
            throw new NotEnoughLabelsException(
                $"The newest {heldOut.Count} labels, kept aside to check the new model, are all {(heldOut[0].IsSpam ? "spam" : "ham")}; label more comments of the other kind first.");

        var data = training.ToList();
        if (settings.IncludeSeedCorpus) data.AddRange(await new[] { SeedCorpus.Source() }.ReadAllAsync(cancellationToken));
        progress.Report(new(0.05, $"{labels.Count} labels: training on {training.Count}{(settings.IncludeSeedCorpus ? " and the seed corpus" : "")}, checking on the newest {heldOut.Count}"));

        var trainingOptions = new TrainingOptions { Name = LabelReader.SourceName, Candidates = settings.TrainerList(), Folds = settings.Folds };
        var steps = trainingOptions.Candidates.Count * trainingOptions.Folds + 1;
        var done = 0;
        var relay = new Relay(message => progress.Report(new(0.05 + 0.85 * Math.Min(++done, steps) / steps, message)));
        TrainedSpamModel trained;
        try
        {
            trained = await Task.Run(() => new SpamModelTrainer(relay).Train(data, trainingOptions), cancellationToken);
        }
        catch (ArgumentException ex) when (ex.Message.StartsWith("Need at least", StringComparison.Ordinal))
        {
            throw new NotEnoughLabelsException(ex.Message);
        }

        cancellationToken.ThrowIfCancellationRequested();
        progress.Report(new(0.92, $"scoring the {heldOut.Count} held-out labels with {trained.Metadata.Version}"));
        using var buffer = new MemoryStream();
        trained.Save(buffer);
        var artifact = buffer.ToArray();
        var model = SpamModel.Load(new MemoryStream(artifact, writable: false));
        var examples = EvaluationProtocol.ScoreWith(model, heldOut).Select(o => o.Example).ToList();
        var metrics = BinaryMetrics.Compute(examples);
        var json = JsonSerializer.Serialize(new
        {
            model = trained.Metadata,
            heldOutLabels = heldOut.Count,
            heldOut = metrics,
            heldOutAtThresholds = OperatingPoint.At(examples, ProposedThresholds.ApproveBelow, ProposedThresholds.RejectAbove),
        }, SpamModelMetadata.Json);
        progress.Report(new(0.97, $"{trained.Metadata.Version}: held-out F1 {metrics.F1:0.000}, AUC {metrics.RocAuc:0.000}"));
        return new RetrainedModel(trained.Metadata.Version, trained.Metadata.Trainer, artifact, json);
    }

    private static void EnsureEnough(IReadOnlyList<LabelledComment> labels, int minimum)
    {
        var spam = labels.Count(c => c.IsSpam);
        var ham = labels.Count - spam;
        if (labels.Count < minimum)
            throw new NotEnoughLabelsException(
                $"Retraining needs at least {minimum} labelled comments; there are {labels.Count} ({spam} spam, {ham} ham). Mark more comments spam or not spam first.");
        if (spam == 0 || ham == 0)
            throw new NotEnoughLabelsException(
                $"Retraining needs both spam and ham labels; all {labels.Count} are {(spam == 0 ? "ham" : "spam")}.");
    }

    /// <summary>Reports on the caller's thread at once (<see cref="Progress{T}"/> would post, and reorder, messages).</summary>
    private sealed class Relay(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
