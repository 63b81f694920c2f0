using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moderation.Data;
using Moderation.Spam;
using Moderation.Spam.Sources;
using Moderation.Spam.Evaluation;
using Moderation.Spam.Training;

namespace Moderation.ModerationApi.Models;

/// <summary>
/// Scores the held-out labels with one stored version: the newest <see cref="ModelTrainingOptions.HoldOutShare"/> of the
/// labels, as a retrain holds them out. A version retrained here never saw them, nor any label newer than its training.
/// </summary>
public sealed class ModelEvaluator(ModerationDb db, IOptions<ModelTrainingOptions> options)
{
    public sealed record Evaluation(string Version, int HeldOutLabels, int Spam, int Ham, BinaryMetrics Metrics,
        IReadOnlyList<OperatingPoint> OperatingPoints);

    /// <summary>Null when there is no such version.</summary>
    public async Task<Evaluation?> EvaluateAsync(string version, CancellationToken ct)
    {
        var model = await LoadAsync(version, ct);
        if (model is null) return null;
        return await EvaluateAsync(version, model, await HeldOutAsync(ct), ct);
    }

    /// <summary>The held-out labels, oldest first.</summary>
    /// <exception cref="NotEnoughLabelsException">They are not both spam and ham.</exception>
    public async Task<IReadOnlyList<LabelledComment>> HeldOutAsync(CancellationToken ct)
    {
        var labels = LabelledData.Deduplicate(await new[] { new DatabaseLabelledCommentSource(db) }.ReadAllAsync(ct));
        var heldOut = labels.Skip(labels.Count - (int)Math.Round(labels.Count * options.Value.HoldOutShare)).ToList();
        var spam = heldOut.Count(c => c.IsSpam);
        if (spam == 0 || spam == heldOut.Count)
            throw new NotEnoughLabelsException(
                $"Evaluation scores the newest {options.Value.HoldOutShare:P0} of the labels and needs both spam and ham among them; there are {spam} spam and {heldOut.Count - spam} ham of {labels.Count} labels.");
        return heldOut;
    }

    public static async Task<Evaluation> EvaluateAsync(string version, SpamModel model, IReadOnlyList<LabelledComment> heldOut, CancellationToken ct)
    {
        var spam = heldOut.Count(c => c.IsSpam);
        var examples = await Task.Run(() => EvaluationProtocol.ScoreWith(model, heldOut).Select(o => o.Example).ToList(), ct);
        return new Evaluation(version, heldOut.Count, spam, heldOut.Count - spam, BinaryMetrics.Compute(examples), OperatingPoint.Table(examples));
    }

    /// <summary>A stored version, or the built-in default; null when there is no such version.</summary>
    /// <exception cref="SpamModelLoadException">It cannot be loaded.</exception>
    public async Task<SpamModel?> LoadAsync(string version, CancellationToken ct)
    {
        var artifact = await db.SpamModels.AsNoTracking().Where(m => m.Version == version).Select(m => m.Artifact).FirstOrDefaultAsync(ct);
        if (artifact is not null) return SpamModel.Load(new MemoryStream(artifact, writable: false));
        return version == ModelRegistry.DefaultVersion ? SpamModel.LoadDefault() : null;
    }
}
