using Moderation.Cli.Reports;
using Moderation.Spam;
using Moderation.Spam.Evaluation;
using Moderation.Spam.Training;

namespace Moderation.Cli.Commands;

/// <summary>
/// `moderation evaluate` without --model: every learner by stratified k-fold and leave-one-file-out; the learner kept
/// and (with --choose-thresholds) the site thresholds chosen on the worst held-out file; then, and only then, the
/// --holdout files scored by the kept learner trained on everything else, so nothing about them shaped a choice.
/// </summary>
internal sealed class ProtocolEvaluation(SpamTrainer[] trainers, int folds, bool leaveOneFileOut, int seed, IProgress<string> progress)
{
    private readonly EvaluationProtocol _protocol = new(seed, progress);

    /// <summary>The evaluation; the mistakes a person reads are the kept learner's leave-one-file-out scores.</summary>
    public Evaluated Run(
        IReadOnlyList<LabelledComment> comments, List<string> files, IReadOnlyList<string> trainOnly,
        IReadOnlyList<LabelledComment> heldOut, (double Approve, double Reject) t, bool chooseThresholds)
    {
        var data = LabelledData.Deduplicate(comments);
        progress.Report($"{comments.Count} comments, {data.Count} after removing repeated texts");
        var canLofo = leaveOneFileOut && data.Select(c => c.Source).Distinct().Count() > 1;
        var kfold = _protocol.CrossValidate(data, trainers, folds);
        var lofo = canLofo ? _protocol.LeaveOneSourceOut(data, trainers) : null;
        var runs = trainers.Distinct().Select(trainer => Run(trainer, kfold[trainer], lofo?[trainer], trainOnly)).ToList();
        var best = TrainerResult.Best(runs, e => new TrainerResult(e.Trainer, e.KFold, e.WorstChoiceF1));

        ThresholdChoice? chosen = null;
        if (chooseThresholds && best.Lofo is not null)
        {
            chosen = OperatingPoint.Choose(best.Lofo.Where(o => !trainOnly.Contains(o.Comment.Source))
                .GroupBy(o => o.Comment.Source).ToDictionary(g => g.Key, g => (IReadOnlyList<OutOfSample>)[.. g]));
            t = (chosen.ApproveBelow, chosen.RejectAbove);
            progress.Report($"thresholds chosen on the worst file: approve below {t.Approve}, spam at {t.Reject}" +
                            (chosen.MeetsGoalsEverywhere ? "" : " (goals not met on every file)"));
        }

        string? heldOutModel = null;
        List<SourceMetrics>? heldOutMetrics = null;
        if (heldOut.Count > 0)
        {
            heldOutModel = $"{best.Trainer} trained on all {data.Count} comments above";
            heldOutMetrics = EvaluateCommand.PerSource(_protocol.TrainAndScore(data, heldOut, Enum.Parse<SpamTrainer>(best.Trainer), "held out"), t);
        }

        var evaluations = runs.Select(e => e.Report(t)).ToList();
        var bestReport = evaluations.Single(e => e.Trainer == best.Trainer);
        var trainOnlyF1 = bestReport.PerFile.Where(p => trainOnly.Contains(p.Source)).Select(p => p.Metrics.F1).ToList();
        var report = new EvaluationReport("protocol", files, comments.Count, data.Count, data.Count(c => c.IsSpam), data.Count(c => !c.IsSpam), folds, null,
            t.Approve, t.Reject, best.KFold, OperatingPoint.At(best.KFoldExamples, t.Approve, t.Reject), OperatingPoint.Table(best.KFoldExamples),
            evaluations, best.Trainer, bestReport.PerFile, trainOnly, trainOnlyF1.Count == 0 ? null : trainOnlyF1.Average(), chosen, heldOutModel, heldOutMetrics);
        var curves = runs.Select(e => ($"{e.Trainer} {folds}-fold", e.KFoldExamples))
            .Concat(best.Lofo is null ? [] : [($"{best.Trainer} leave-one-file-out", (IReadOnlyList<ScoredExample>)[.. best.Lofo.Select(o => o.Example)])])
            .ToList();
        // The histogram a person reads to set thresholds: scores of files the model never saw, when there are several files.
        return new Evaluated(report, curves, best.Lofo is null ? best.KFoldExamples : [.. best.Lofo.Select(o => o.Example)], best.Lofo);
    }

    private static LearnerRun Run(SpamTrainer trainer, IReadOnlyList<OutOfSample> kfold, IReadOnlyList<OutOfSample>? lofo, IReadOnlyList<string> trainOnly)
    {
        var forChoices = lofo?.Where(o => !trainOnly.Contains(o.Comment.Source)).ToList();
        return new LearnerRun(trainer.ToString(), kfold, lofo, forChoices is { Count: > 0 } ? EvaluationProtocol.WorstF1PerSource(forChoices) : null);
    }

    /// <summary>One learner's out-of-sample scores: k-fold and, when there are several files, leave-one-file-out.</summary>
    private sealed record LearnerRun(string Trainer, IReadOnlyList<OutOfSample> KFoldScored, IReadOnlyList<OutOfSample>? Lofo, double? WorstChoiceF1)
    {
        public IReadOnlyList<ScoredExample> KFoldExamples { get; } = [.. KFoldScored.Select(o => o.Example)];
        public BinaryMetrics KFold { get; } = BinaryMetrics.Compute([.. KFoldScored.Select(o => o.Example)]);

        public TrainerEvaluation Report((double Approve, double Reject) t)
        {
            var perFold = KFoldScored.GroupBy(o => o.Split).Select(g => BinaryMetrics.Compute([.. g.Select(o => o.Example)]).F1).ToArray();
            IReadOnlyList<ScoredExample>? lofo = Lofo is null ? null : [.. Lofo.Select(o => o.Example)];
            return new TrainerEvaluation(Trainer, KFold, perFold.Average(), EvaluateCommand.StdDev(perFold), OperatingPoint.At(KFoldExamples, t.Approve, t.Reject),
                lofo is null ? null : BinaryMetrics.Compute(lofo), WorstChoiceF1, lofo is null ? null : OperatingPoint.At(lofo, t.Approve, t.Reject),
                Lofo is null ? [] : EvaluateCommand.PerSource(Lofo, t));
        }
    }
}
