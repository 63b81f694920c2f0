using System.CommandLine;
using System.Text.Json;
using Moderation.Cli.Reports;
using Moderation.Spam;
using Moderation.Spam.Evaluation;
using Moderation.Spam.Sources;
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
        var folds = new Option<int>("--folds") { Description = "Folds for k-fold.", DefaultValueFactory = _ => 10 }.AtLeast(2);
        var skipLofo = new Option<bool>("--skip-leave-one-file-out") { Description = "Only k-fold." };
        var seed = new Option<int>("--seed") { Description = "Random seed for folds and learners.", DefaultValueFactory = _ => 1 };
        var approve = new Option<double>("--approve-below") { DefaultValueFactory = _ => ProposedThresholds.ApproveBelow, Description = "Threshold: publish below." }.Probability();
        var reject = new Option<double>("--reject-above") { DefaultValueFactory = _ => ProposedThresholds.RejectAbove, Description = "Threshold: spam at or above." }.Probability();
        var outDir = new Option<string>("--out") { Description = "Folder for the report (the committed reports are in docs/evaluation: name it to replace them).", DefaultValueFactory = _ => "artifacts/evaluation" };
        var reportName = new Option<string>("--report-name") { Description = "File name stem of the report files.", DefaultValueFactory = _ => "evaluation" };
        var trainOnly = new Option<string[]>("--train-only") { Description = "Labelled CSV trained on and reported per file, but not used to choose the learner or the thresholds: comments of another kind, such as the YouTube collection (repeatable)." };
        var holdout = new Option<string[]>("--holdout") { Description = "Labelled CSV kept out of training and of every choice (repeatable): scored once, by the kept learner trained on all the other data, and reported alone." };
        var errors = new Option<int>("--errors") { Description = "Also write <report-name>-errors.md: per file, the N readers scored most spam-like and the N spam scored least (with --model, as the model scores them; otherwise left out of training, never the --holdout files)." }.AtLeast(0);
        var chooseThresholds = new Option<bool>("--choose-thresholds") { Description = "Choose the thresholds on the worst held-out file (instead of --approve-below/--reject-above) and report every file at them." };
        var command = new Command("evaluate", "Evaluate a model or the training protocol on labelled CSV files.")
            { model, trainers, folds, skipLofo, seed, approve, reject, outDir, reportName, trainOnly, holdout, chooseThresholds, errors };
        data.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var progress = new ConsoleProgress(r.InvocationConfiguration.Error);
            if (r.GetValue(approve) > r.GetValue(reject)) throw new UserError("--approve-below must not be above --reject-above.");
            await using var opened = await data.OpenAsync(r, ct);
            var sources = opened.Sources;
            var trainOnlySources = DataOptions.CsvSources(r.GetValue(trainOnly));
            var heldOutSources = DataOptions.CsvSources(r.GetValue(holdout));
            var comments = await DataOptions.ReadAsync([.. sources, .. trainOnlySources], progress, ct);
            var heldOut = await DataOptions.ReadAsync(heldOutSources, progress, ct);
            var modelPath = r.GetValue(model);
            if (modelPath is null) LabelCounts.RequireBoth(comments, r.GetValue(folds));
            else LabelCounts.RequireAny([.. comments, .. heldOut]);
            var thresholds = (r.GetValue(approve), r.GetValue(reject));
            var files = sources.Concat(trainOnlySources).Select(s => s.Name).ToList();
            List<string> trainOnlyFiles = [.. trainOnlySources.Select(s => s.Name), .. sources.Select(s => s.Name).Where(TrainingCorpus.IsTrainOnly)];
            var (report, curves, histogram, scored) = modelPath is null
                ? new ProtocolEvaluation(r.GetRequiredValue(trainers), r.GetValue(folds), !r.GetValue(skipLofo), r.GetValue(seed), progress)
                    .Run(comments, files, trainOnlyFiles, heldOut, thresholds, r.GetValue(chooseThresholds))
                : OfModel(ScoreCommand.LoadModel(modelPath == "default" ? null : modelPath), [.. comments, .. heldOut], [.. files, .. heldOut.Select(c => c.Source).Distinct()], thresholds);

            var readable = scored?.Where(o => files.Contains(o.Comment.Source)).ToList() ?? []; // never the --holdout files
            report = report with
            {
                PerKind = PerKind(readable, (report.ApproveBelow, report.RejectAbove)),
                SiteRules = SiteRules(readable, (report.ApproveBelow, report.RejectAbove)),
            };
            var dir = r.GetRequiredValue(outDir);
            var stem = r.GetRequiredValue(reportName);
            Directory.CreateDirectory(dir);
            string roc = stem + "-roc.png", hist = stem + "-scores.png";
            var subject = report.ModelVersion ?? $"{report.BestTrainer}, {report.Folds}-fold out-of-fold";
            var histogramOf = report.ModelVersion ?? (report.PerSource.Count > 0 ? $"{report.BestTrainer}, leave-one-file-out" : subject);
            Plots.Roc(Path.Combine(dir, roc), $"ROC: {subject}", curves);
            Plots.Histogram(Path.Combine(dir, hist), $"Scores of spam and ham: {histogramOf}", histogram, report.ApproveBelow, report.RejectAbove);
            var markdown = Markdown.Evaluation(report, roc, hist);
            await File.WriteAllTextAsync(Path.Combine(dir, stem + ".md"), markdown, ct);
            await File.WriteAllTextAsync(Path.Combine(dir, stem + ".json"), JsonSerializer.Serialize(report, SpamModelMetadata.Json), ct);
            if (r.GetValue(errors) is > 0 and var n && scored is not null)
            {
                var title = report.ModelVersion is { } version ? $"Worst mistakes of model {version}" : "Worst leave-one-file-out mistakes";
                await File.WriteAllTextAsync(Path.Combine(dir, stem + "-errors.md"), Markdown.WorstMistakes(title, readable, n), ct);
            }
            r.InvocationConfiguration.Output.Write(markdown);
            progress.Report($"wrote {Path.Combine(dir, stem)}.md, .json, -roc.png, -scores.png");
            return 0;
        });
        return command;
    }

    private static Evaluated OfModel(
        SpamModel model, IReadOnlyList<LabelledComment> comments, List<string> files, (double Approve, double Reject) t)
    {
        var scored = EvaluationProtocol.ScoreWith(model, comments);
        var examples = scored.Select(o => o.Example).ToList();
        var report = new EvaluationReport("model", files, comments.Count, comments.Count, comments.Count(c => c.IsSpam), comments.Count(c => !c.IsSpam), 0,
            model.Version, t.Approve, t.Reject, BinaryMetrics.Compute(examples), OperatingPoint.At(examples, t.Approve, t.Reject),
            OperatingPoint.Table(examples), [], null, files.Count > 1 ? PerSource(scored, t) : []);
        return new Evaluated(report, [(model.Version, examples)], examples, scored);
    }

    internal static List<SourceMetrics> PerSource(IEnumerable<OutOfSample> scored, (double Approve, double Reject) t) =>
        [.. scored.GroupBy(o => o.Comment.Source).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var examples = g.Select(o => o.Example).ToList();
            return new SourceMetrics(g.Key, BinaryMetrics.Compute(examples), OperatingPoint.At(examples, t.Approve, t.Reject));
        })];

    /// <summary>Each kind of comment the files name, readers first, the largest first.</summary>
    internal static List<KindMetrics> PerKind(IEnumerable<OutOfSample> scored, (double Approve, double Reject) t) =>
        [.. scored.Where(o => o.Comment.Kind is not null).GroupBy(o => (Kind: o.Comment.Kind!, o.Comment.IsSpam)).Select(g =>
        {
            var p = OperatingPoint.At([.. g.Select(o => o.Example)], t.Approve, t.Reject);
            return g.Key.IsSpam
                ? new KindMetrics(g.Key.Kind, true, g.Count(), p.SpamLeaked, p.SpamHeld, p.SpamCaught)
                : new KindMetrics(g.Key.Kind, false, g.Count(), p.HamApproved, p.HamHeld, p.HamToSpam);
        }).OrderBy(k => k.IsSpam).ThenByDescending(k => k.Count).ThenBy(k => k.Kind, StringComparer.Ordinal)];

    /// <summary>Each file whose comments name their thread or their author's e-mail, then all of them, without and with the site rules replayed.</summary>
    internal static List<SiteRulesMetrics> SiteRules(IReadOnlyList<OutOfSample> scored, (double Approve, double Reject) t)
    {
        var files = Enumerable.Range(0, scored.Count).GroupBy(i => scored[i].Comment.Source)
            .Where(rows => rows.Any(i => scored[i].Comment is { Thread: not null } or { Input.AuthorEmail: not null }))
            .OrderBy(rows => rows.Key, StringComparer.Ordinal).ToList();
        if (files.Count == 0) return [];
        var replay = new SiteRulesReplay(scored);
        var effects = replay.Effects(t.Approve, t.Reject);
        var withRules = replay.WithRules(effects, t.Approve);
        int Count(int[] rows, SiteRuleEffect effect, bool spam) => rows.Count(i => effects[i] == effect && scored[i].Comment.IsSpam == spam);
        SiteRulesMetrics Of(string source, int[] rows) => new(source,
            OperatingPoint.At([.. rows.Select(i => scored[i].Example)], t.Approve, t.Reject),
            OperatingPoint.At([.. rows.Select(i => withRules[i])], t.Approve, t.Reject),
            Count(rows, SiteRuleEffect.HeldAsReplyToUnseen, spam: false), Count(rows, SiteRuleEffect.HeldAsReplyToUnseen, spam: true),
            Count(rows, SiteRuleEffect.PublishedAsReturningAuthor, spam: false), Count(rows, SiteRuleEffect.PublishedAsReturningAuthor, spam: true));
        List<SiteRulesMetrics> perFile = [.. files.Select(rows => Of(rows.Key, [.. rows]))];
        return perFile.Count > 1 ? [.. perFile, Of("all files", [.. files.SelectMany(rows => rows)])] : perFile;
    }

    internal static double StdDev(double[] xs)
    {
        var mean = xs.Average();
        return xs.Length < 2 ? 0 : Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1));
    }
}
