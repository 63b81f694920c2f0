using Moderation.Spam.Evaluation;

namespace Moderation.Cli.Reports;

/// <summary>One file's figures at threshold 0.5, and what the report's thresholds do with its comments.</summary>
public sealed record SourceMetrics(string Source, BinaryMetrics Metrics, OperatingPoint? AtThresholds = null);

/// <summary>
/// One family of comments as the files' authors named it (their `kind` column), and what the report's thresholds do with it:
/// shares published, held for a moderator and filed as spam.
/// </summary>
public sealed record KindMetrics(string Kind, bool IsSpam, int Count, double Published, double Held, double ToSpam);

/// <summary>
/// One file (or all of them) at the report's thresholds without and with the scoring worker's rules that read the thread and
/// the author's history (<see cref="SiteRulesReplay"/>), replayed in the file's order: how many readers and spam the rule for
/// replies to comments nobody can see held, and how many the trust in returning authors published.
/// </summary>
public sealed record SiteRulesMetrics(
    string Source, OperatingPoint Without, OperatingPoint With, int ReadersHeld, int SpamHeld, int ReadersTrusted, int SpamTrusted);

/// <summary>One learner under the training protocol: pooled out-of-fold figures and per-file held-out figures.</summary>
public sealed record TrainerEvaluation(
    string Trainer,
    BinaryMetrics KFold,
    double KFoldF1Mean,
    double KFoldF1StdDev,
    OperatingPoint KFoldAtThresholds,
    BinaryMetrics? LeaveOneFileOut,
    double? LeaveOneFileOutWorstF1,
    OperatingPoint? LeaveOneFileOutAtThresholds,
    IReadOnlyList<SourceMetrics> PerFile);

/// <summary>
/// What one evaluation produced: the report, the ROC curves and the score histogram drawn beside it, and the scored comments a
/// person reads for mistakes (null when there are none: a protocol run without files to leave out).
/// </summary>
public sealed record Evaluated(
    EvaluationReport Report,
    IReadOnlyList<(string Label, IReadOnlyList<ScoredExample> Examples)> Curves,
    IReadOnlyList<ScoredExample> Histogram,
    IReadOnlyList<OutOfSample>? ForMistakes);

/// <summary>Everything `moderation evaluate` writes as JSON; the markdown and the plots are drawn from it.</summary>
public sealed record EvaluationReport(
    string Mode,
    IReadOnlyList<string> Files,
    int Rows,
    int RowsEvaluated,
    int Spam,
    int Ham,
    int Folds,
    string? ModelVersion,
    double ApproveBelow,
    double RejectAbove,
    BinaryMetrics Overall,
    OperatingPoint AtThresholds,
    IReadOnlyList<OperatingPoint> OperatingPoints,
    IReadOnlyList<TrainerEvaluation> Trainers,
    string? BestTrainer,
    IReadOnlyList<SourceMetrics> PerSource,
    IReadOnlyList<string>? TrainOnlyFiles = null,
    double? TrainOnlyMeanF1 = null,
    ThresholdChoice? ChosenThresholds = null,
    string? HeldOutModel = null,
    IReadOnlyList<SourceMetrics>? HeldOut = null,
    IReadOnlyList<KindMetrics>? PerKind = null,
    IReadOnlyList<SiteRulesMetrics>? SiteRules = null);
