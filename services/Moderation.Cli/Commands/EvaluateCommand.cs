using System.CommandLine;
using System.Text.Json;
using Moderation.Cli.Reports;
using Moderation.Spam;
using Moderation.Spam.Evaluation;
using Moderation.Spam.Training;

namespace Moderation.Cli.Commands;

/// <summary>
/// `moderation evaluate`: either a finished model on labelled files (--model), or the training protocol
/// itself: stratified k-fold after deduplication and leave-one-file-out, for each learner.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Option<string?>("--model") { Description = "Evaluate this model file (or 'default' for the built-in one) instead of the training protocol." };
        var trainers = TrainerOption.Create(SpamTrainer.LogisticRegression, SpamTrainer.LightGbm, SpamTrainer.Ensemble);
        var folds = new Option<int>("--folds") { Description = "Folds for k-fold.", DefaultValueFactory = _ => 10 };
        var skipLofo = new Option<bool>("--skip-leave-one-file-out") { Description = "Only k-fold." };
        var seed = new Option<int>("--seed") { Description = "Random seed for folds and learners.", DefaultValueFactory = _ => 1 };
        var approve = new Option<double>("--approve-below") { DefaultValueFactory = _ => ProposedThresholds.ApproveBelow, Description = "Threshold: publish below." };
        var reject = new Option<double>("--reject-above") { DefaultValueFactory = _ => ProposedThresholds.RejectAbove, Description = "Threshold: spam at or above." };
        var outDir = new Option<string>("--out") { Description = "Folder for the report.", DefaultValueFactory = _ => "evaluation" };
        var reportName = new Option<string>("--report-name") { Description = "File name stem of the report files.", DefaultValueFactory = _ => "evaluation" };
        var command = new Command("evaluate", "Evaluate a model or the training protocol on labelled CSV files.")
            { model, trainers, folds, skipLofo, seed, approve, reject, outDir, reportName };
        data.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var progress = new ConsoleProgress(r.InvocationConfiguration.Error);
            using var opened = data.Open(r);
            var sources = opened.Sources;
            var comments = await DataOptions.ReadAsync(sources, progress, ct);
            var thresholds = (r.GetValue(approve), r.GetValue(reject));
            var files = sources.Select(s => s.Name).ToList();
            var modelPath = r.GetValue(model);
            var (report, curves, histogram) = modelPath is null
                ? Protocol(comments, files, r.GetRequiredValue(trainers), r.GetValue(folds), !r.GetValue(skipLofo), r.GetValue(seed), thresholds, progress)
                : OfModel(ScoreCommand.LoadModel(modelPath == "default" ? null : modelPath), comments, files, thresholds);

            var dir = r.GetRequiredValue(outDir);
            var stem = r.GetRequiredValue(reportName);
            Directory.CreateDirectory(dir);
            string roc = stem + "-roc.png", hist = stem + "-scores.png";
            var subject = report.ModelVersion ?? $"{report.BestTrainer}, {report.Folds}-fold out-of-fold";
            Plots.Roc(Path.Combine(dir, roc), $"ROC: {subject}", curves);
            Plots.Histogram(Path.Combine(dir, hist), $"Scores of spam and ham: {subject}", histogram, thresholds.Item1, thresholds.Item2);
            var markdown = Markdown.Evaluation(report, roc, hist);
            await File.WriteAllTextAsync(Path.Combine(dir, stem + ".md"), markdown, ct);
            await File.WriteAllTextAsync(Path.Combine(dir, stem + ".json"), JsonSerializer.Serialize(report, SpamModelMetadata.Json), ct);
            r.InvocationConfiguration.Output.Write(markdown);
            progress.Report($"wrote {Path.Combine(dir, stem)}.md, .json, -roc.png, -scores.png");
            return 0;
        });
        return command;
    }

    private static (EvaluationReport, List<(string, IReadOnlyList<ScoredExample>)>, IReadOnlyList<ScoredExample>) Protocol(
        IReadOnlyList<LabelledComment> comments, List<string> files, SpamTrainer[] trainers, int folds, bool leaveOneFileOut, int seed,
        (double Approve, double Reject) t, IProgress<string> progress)
    {
        var data = LabelledData.Deduplicate(comments);
        progress.Report($"{comments.Count} comments, {data.Count} after removing repeated texts");
        var protocol = new EvaluationProtocol(seed, progress);
        var canLofo = leaveOneFileOut && data.Select(c => c.Source).Distinct().Count() > 1;
        var evaluations = new List<(TrainerEvaluation Eval, IReadOnlyList<ScoredExample> KFold, IReadOnlyList<ScoredExample>? Lofo)>();
        foreach (var trainer in trainers)
        {
            var kfold = protocol.CrossValidate(data, trainer, folds);
            var kfoldExamples = kfold.Select(o => o.Example).ToList();
            var perFold = kfold.GroupBy(o => o.Split).Select(g => BinaryMetrics.Compute([.. g.Select(o => o.Example)]).F1).ToArray();
            var lofo = canLofo ? protocol.LeaveOneSourceOut(data, trainer) : null;
            var lofoExamples = lofo?.Select(o => o.Example).ToList();
            var perFile = lofo is null ? [] : PerSource(lofo);
            evaluations.Add((new TrainerEvaluation(trainer.ToString(),
                BinaryMetrics.Compute(kfoldExamples), perFold.Average(), StdDev(perFold), OperatingPoint.At(kfoldExamples, t.Approve, t.Reject),
                lofoExamples is null ? null : BinaryMetrics.Compute(lofoExamples),
                perFile.Count == 0 ? null : perFile.Average(p => p.Metrics.F1),
                lofoExamples is null ? null : OperatingPoint.At(lofoExamples, t.Approve, t.Reject),
                perFile), kfoldExamples, lofoExamples));
        }
        var best = TrainerResult.Best(evaluations, e => new TrainerResult(e.Eval.Trainer, e.Eval.KFold, e.Eval.LeaveOneFileOutMeanF1));
        var report = new EvaluationReport("protocol", files, comments.Count, data.Count, data.Count(c => c.IsSpam), data.Count(c => !c.IsSpam), folds, null,
            t.Approve, t.Reject, best.Eval.KFold, OperatingPoint.At(best.KFold, t.Approve, t.Reject), OperatingPoint.Table(best.KFold),
            [.. evaluations.Select(e => e.Eval)], best.Eval.Trainer, best.Eval.PerFile);
        var curves = evaluations.Select(e => ($"{e.Eval.Trainer} {folds}-fold", e.KFold))
            .Concat(best.Lofo is null ? [] : [($"{best.Eval.Trainer} leave-one-file-out", best.Lofo)]).ToList();
        return (report, curves, best.KFold);
    }

    private static (EvaluationReport, List<(string, IReadOnlyList<ScoredExample>)>, IReadOnlyList<ScoredExample>) OfModel(
        SpamModel model, IReadOnlyList<LabelledComment> comments, List<string> files, (double Approve, double Reject) t)
    {
        var scored = EvaluationProtocol.ScoreWith(model, comments);
        var examples = scored.Select(o => o.Example).ToList();
        var report = new EvaluationReport("model", files, comments.Count, comments.Count, comments.Count(c => c.IsSpam), comments.Count(c => !c.IsSpam), 0,
            model.Version, t.Approve, t.Reject, BinaryMetrics.Compute(examples), OperatingPoint.At(examples, t.Approve, t.Reject),
            OperatingPoint.Table(examples), [], null, files.Count > 1 ? PerSource(scored) : []);
        return (report, [(model.Version, examples)], examples);
    }

    private static List<SourceMetrics> PerSource(IEnumerable<OutOfSample> scored) =>
        [.. scored.GroupBy(o => o.Comment.Source).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SourceMetrics(g.Key, BinaryMetrics.Compute([.. g.Select(o => o.Example)])))];

    private static double StdDev(double[] xs)
    {
        var mean = xs.Average();
        return xs.Length < 2 ? 0 : Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1));
    }
}
