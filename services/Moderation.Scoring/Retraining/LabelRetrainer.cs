using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moderation.Data;
using Moderation.Data.Reviews;
using Moderation.Spam.Training;

namespace Moderation.Scoring.Retraining;

/// <summary>
/// The admin API's retrain: <see cref="SpamModelRetrainer"/> (hold out the newest labels, train, check on them) with the
/// configured options, after a cheap count that fails at once, clearly, when the labels cannot make a model.
/// </summary>
public sealed class LabelRetrainer(ModerationDb db, SpamModelRetrainer retrainer, IOptions<ModelTrainingOptions> options) : IModelRetrainer
{
    public async Task<RetrainedModel> RetrainAsync(IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var counts = await db.Labels.GroupBy(l => l.Kind).Select(g => new { Kind = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var spam = counts.Where(c => c.Kind == LabelKind.Spam).Sum(c => c.Count);
        var ham = counts.Where(c => c.Kind == LabelKind.Ham).Sum(c => c.Count);
        if (spam + ham < settings.MinimumLabels)
            throw new NotEnoughLabelsException(
                $"Retraining needs at least {settings.MinimumLabels} labelled comments; there are {spam + ham} ({spam} spam, {ham} ham). Mark more comments spam or not spam first.");
        if (spam == 0 || ham == 0)
            throw new NotEnoughLabelsException($"Retraining needs both spam and ham labels; all {spam + ham} are {(spam == 0 ? "ham" : "spam")}.");

        var training = new TrainingOptions { Name = "labels", Folds = settings.Folds };
        if (settings.TrainerList() is { Count: > 0 } trainers) training = training with { Candidates = trainers };
        var retrain = new RetrainOptions { IncludeSeedCorpus = settings.IncludeSeedCorpus, HoldOutShare = settings.HoldOutShare, Training = training };
        try
        {
            var result = await retrainer.RetrainAsync(retrain, new SynchronousProgress<RetrainProgress>(p => progress.Report(new(p.Fraction, p.Message))), cancellationToken);
            return new RetrainedModel(result.Version, result.Trainer, result.Artifact, result.MetricsJson);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("need both spam and ham", StringComparison.Ordinal))
        {
            throw new NotEnoughLabelsException(ex.Message);
        }
    }
}
