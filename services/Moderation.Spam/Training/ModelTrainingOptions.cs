using System.ComponentModel.DataAnnotations;

namespace Moderation.Spam.Training;

/// <summary>
/// How the spam model is retrained from moderators' labels (<c>Models:Training</c>): read by the scoring workers, which
/// run the admin API's retraining jobs, and by the moderation API, which evaluates versions on the same held-out share.
/// </summary>
public sealed class ModelTrainingOptions
{
    public const string SectionName = "Models:Training";

    /// <summary>Fewer labels than this and a retrain fails at once, saying how many there are.</summary>
    [Range(10, 10_000_000, ErrorMessage = "Models:Training:MinimumLabels must be between 10 and 10000000.")]
    public int MinimumLabels { get; set; } = 50;

    /// <summary>Share of the labels, newest first, that a retrain never trains on and every evaluation scores.</summary>
    [Range(0.05, 0.5, ErrorMessage = "Models:Training:HoldOutShare must be between 0.05 and 0.5.")]
    public double HoldOutShare { get; set; } = 0.2;

    /// <summary>Also train on the built-in seed corpus (never held out), so a young site's model is not just its few labels.</summary>
    public bool IncludeSeedCorpus { get; set; } = true;

    /// <summary>Learners compared by cross-validation, comma-separated (Sdca, LogisticRegression, LightGbm, Ensemble); unset: the trainer's own choice.</summary>
    [RegularExpression("^\\s*(Sdca|LogisticRegression|LightGbm|Ensemble)\\s*(,\\s*(Sdca|LogisticRegression|LightGbm|Ensemble)\\s*)*$",
        ErrorMessage = "Models:Training:Trainers must list Sdca, LogisticRegression, LightGbm and/or Ensemble, comma-separated.")]
    public string? Trainers { get; set; }

    [Range(2, 10, ErrorMessage = "Models:Training:Folds must be between 2 and 10.")]
    public int Folds { get; set; } = 5;

    public IReadOnlyList<SpamTrainer> TrainerList() =>
        [.. (Trainers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Enum.Parse<SpamTrainer>).Distinct()];
}
