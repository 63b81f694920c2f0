using System.Text.Json;
using System.Text.Json.Serialization;
using Moderation.Spam.Evaluation;

namespace Moderation.Spam;

/// <summary>
/// How one candidate learner did on the training data: in cross-validation and, when asked and the data comes from
/// several files, with each file held out in turn (mean F1 over the held-out files).
/// </summary>
public sealed record TrainerResult(string Trainer, BinaryMetrics CrossValidation, double? LeaveOneSourceOutMeanF1 = null)
{
    /// <summary>
    /// What learners are ranked by: the worse of the cross-validated F1 and the mean F1 on held-out files. A model
    /// meets comments on topics it never saw (a new site, a new campaign), so a learner that only shines when every
    /// topic is in its training folds is not the better one.
    /// </summary>
    public static double RankingF1(double crossValidationF1, double? leaveOneSourceOutMeanF1) =>
        Math.Min(crossValidationF1, leaveOneSourceOutMeanF1 ?? crossValidationF1);

    /// <summary>The learner to keep: best <see cref="RankingF1"/>, then best ROC AUC.</summary>
    public static T Best<T>(IEnumerable<T> candidates, Func<T, TrainerResult> result) =>
        candidates.OrderByDescending(c => RankingF1(result(c).CrossValidation.F1, result(c).LeaveOneSourceOutMeanF1))
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
