using Moderation.Spam.Evaluation;

namespace Moderation.Cli.Reports;

public sealed record SourceMetrics(string Source, BinaryMetrics Metrics);

/// <summary>One learner under the training protocol: pooled out-of-fold figures and per-file held-out figures.</summary>
public sealed record TrainerEvaluation(
    string Trainer,
    BinaryMetrics KFold,
    double KFoldF1Mean,
    double KFoldF1StdDev,
    OperatingPoint KFoldAtThresholds,
    BinaryMetrics? LeaveOneFileOut,
    double? LeaveOneFileOutMeanF1,
    OperatingPoint? LeaveOneFileOutAtThresholds,
    IReadOnlyList<SourceMetrics> PerFile);

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
    IReadOnlyList<SourceMetrics> PerSource);
