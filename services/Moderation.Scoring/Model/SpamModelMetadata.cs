using System.Text.Json;
using System.Text.Json.Serialization;
using Moderation.Scoring.Model.Evaluation;

namespace Moderation.Scoring.Model;

/// <summary>How one candidate learner did in cross-validation on the training data.</summary>
public sealed record TrainerResult(string Trainer, BinaryMetrics CrossValidation);

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
