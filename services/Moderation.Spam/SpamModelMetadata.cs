using System.Text.Json;
using System.Text.Json.Serialization;
using Moderation.Spam.Evaluation;

namespace Moderation.Spam;

/// <summary>
/// How one candidate learner did on the training data: in cross-validation and, when asked and the data comes from
/// several files, with each file held out in turn (the worst held-out file's F1).
/// </summary>
public sealed record TrainerResult(string Trainer, BinaryMetrics CrossValidation, double? LeaveOneSourceOutWorstF1 = null)
{
    /// <summary>
    /// What learners are ranked by: the worse of the cross-validated F1 and the worst held-out file's F1. A model
    /// meets comments from sites and campaigns it never saw, so a learner that only shines when every kind of comment
    /// is in its training folds, or that fails one kind of site badly, is not the better one.
    /// </summary>
    public static double RankingF1(double crossValidationF1, double? leaveOneSourceOutWorstF1) =>
        Math.Min(crossValidationF1, leaveOneSourceOutWorstF1 ?? crossValidationF1);

    /// <summary>The learner to keep: best <see cref="RankingF1"/>, then best ROC AUC.</summary>
    public static T Best<T>(IEnumerable<T> candidates, Func<T, TrainerResult> result) =>
        candidates.OrderByDescending(c => RankingF1(result(c).CrossValidation.F1, result(c).LeaveOneSourceOutWorstF1))
            .ThenByDescending(c => result(c).CrossValidation.RocAuc).First();
}

/// <summary>Stored inside the model zip (<see cref="SpamModelArtifact.MetadataEntry"/>): what the model is and how it was made.</summary>
public sealed record SpamModelMetadata(
    string Version,
    string Trainer,
    int FeatureSchema,
    int Seed,
    DateTime TrainedAtUtc,
    int TrainingRows,
    int SpamRows,
    IReadOnlyList<string> Sources,
    string DataSha256,
    IReadOnlyList<TrainerResult> TrainersCompared)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
