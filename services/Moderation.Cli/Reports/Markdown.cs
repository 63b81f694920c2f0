using System.Globalization;
using System.Text;
using Moderation.Spam;
using Moderation.Spam.Evaluation;

namespace Moderation.Cli.Reports;

/// <summary>Markdown for the training summary and the evaluation report.</summary>
internal static class Markdown
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string TrainingSummary(SpamModelMetadata m, string path)
    {
        var s = new StringBuilder();
        s.AppendLine($"# Model {m.Version}").AppendLine();
        s.AppendLine($"- file: `{path.Replace('\\', '/')}`");
        s.AppendLine($"- learner kept: {m.Trainer}; seed {m.Seed}; feature schema {m.FeatureSchema}");
        s.AppendLine($"- trained on {m.TrainingRows} distinct comments ({m.SpamRows} spam) from {string.Join(", ", m.Sources)}");
        s.AppendLine($"- data SHA-256: `{m.DataSha256}`").AppendLine();
        s.AppendLine("Learners compared by stratified cross-validation on the training data (threshold 0.5):").AppendLine();
        MetricsTable(s, m.TrainersCompared.Select(t => (t.Trainer, t.CrossValidation)));
        return s.ToString();
    }

    public static string Evaluation(EvaluationReport r, string rocPng, string histogramPng)
    {
        var s = new StringBuilder();
        s.AppendLine(r.Mode == "model" ? $"# Evaluation of model {r.ModelVersion}" : "# Evaluation of the training protocol").AppendLine();
        s.AppendLine($"- data: {string.Join(", ", r.Files.Select(f => $"`{f}`"))}");
        s.AppendLine(r.Mode == "model"
            ? $"- {r.RowsEvaluated} comments scored as they are ({r.Spam} spam, {r.Ham} ham)"
            : $"- {r.Rows} comments, {r.RowsEvaluated} after removing repeated texts ({r.Spam} spam, {r.Ham} ham)");
        s.AppendLine($"- thresholds: approve below {F(r.ApproveBelow)}, spam at or above {F(r.RejectAbove)}").AppendLine();

        if (r.Trainers.Count > 0)
        {
            s.AppendLine($"## Learners: stratified {r.Folds}-fold (after deduplication) and leave-one-file-out").AppendLine();
            s.AppendLine("| learner | k-fold F1 | F1 per fold (mean ± sd) | k-fold AUC | k-fold MCC | leave-one-file-out F1 (pooled) | worst held-out file's F1 |");
            s.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var t in r.Trainers)
                s.AppendLine($"| {t.Trainer}{(t.Trainer == r.BestTrainer ? " (kept)" : "")} | {F(t.KFold.F1, 4)} | {F(t.KFoldF1Mean, 4)} ± {F(t.KFoldF1StdDev, 4)} | {F(t.KFold.RocAuc, 4)} | {F(t.KFold.Mcc, 4)} | {F(t.LeaveOneFileOut?.F1, 4)} | {F(t.LeaveOneFileOutWorstF1, 4)} |");
            s.AppendLine();
        }

        s.AppendLine(r.Mode == "model" ? "## Figures at threshold 0.5" : $"## {r.BestTrainer}, pooled out-of-fold figures at threshold 0.5").AppendLine();
        MetricsTable(s, [("all", r.Overall)]);
        if (r.PerSource.Count > 0)
        {
            s.AppendLine(r.Mode == "model" ? "Per file:" : $"Leave-one-file-out, {r.BestTrainer}, each file scored by a model trained on the others:").AppendLine();
            MetricsTable(s, r.PerSource.Select(p => (p.Source, p.Metrics)));
            s.AppendLine($"The same files at the thresholds (approve below {F(r.ApproveBelow)}, spam at or above {F(r.RejectAbove)}):").AppendLine();
            SourcePointsTable(s, r.PerSource);
            if (r.TrainOnlyMeanF1 is { } trainOnly)
                s.AppendLine($"Mean F1 over the files trained on but not used for choices ({string.Join(", ", r.TrainOnlyFiles!)}): {F(trainOnly, 4)}.").AppendLine();
        }
        if (r.ChosenThresholds is { } chosen)
        {
            var worst = chosen.PerSource.MaxBy(kv => kv.Value.Shortfall);
            s.AppendLine("## Thresholds chosen on the worst file").AppendLine();
            s.AppendLine($"Approve below **{F(chosen.ApproveBelow)}**, spam at or above **{F(chosen.RejectAbove)}**: "
                         + (chosen.MeetsGoalsEverywhere ? "the goals are met on every file above" : $"the goals are not met on every file (furthest: {worst.Key})")
                         + ". Chosen on the files' leave-one-file-out scores, with the worker's rules that read the thread and the author's history replayed "
                         + "(the per-file tables above are the model alone; the rules' effect is in their own section below); the files trained on only and the held-out files had no say.").AppendLine();
        }
        if (r.HeldOut is { Count: > 0 } heldOut)
        {
            s.AppendLine("## Held out from training and from every choice").AppendLine();
            s.AppendLine($"Scored once, by {r.HeldOutModel}, at the thresholds above:").AppendLine();
            MetricsTable(s, heldOut.Select(p => (p.Source, p.Metrics)));
            SourcePointsTable(s, heldOut);
        }

        if (r.PerKind is { Count: > 0 } kinds)
        {
            s.AppendLine("## By kind").AppendLine();
            s.AppendLine($"Each kind of comment as the files name it (their `kind` column), pooled over the files{(r.Mode == "model" ? "" : ", scored left out as above")}, "
                         + $"at approve below {F(r.ApproveBelow)} and spam at or above {F(r.RejectAbove)}:").AppendLine();
            s.AppendLine("| label | kind | n | published | held | to spam |");
            s.AppendLine("|---|---|---|---|---|---|");
            foreach (var label in kinds.GroupBy(k => k.IsSpam))
            {
                var small = label.Where(k => k.Count < KindRowFrom).ToList();
                foreach (var k in label.Where(k => k.Count >= KindRowFrom).Append(Pooled(small, label.Key)).OfType<KindMetrics>())
                    s.AppendLine($"| {(k.IsSpam ? "spam" : "ham")} | {Cell(k.Kind)} | {k.Count} | {P(k.Published)} | {P(k.Held)} | {P(k.ToSpam)} |");
            }
            s.AppendLine();
        }

        if (r.SiteRules is { Count: > 0 } rules)
        {
            s.AppendLine("## Site rules that read the thread and the author's history").AppendLine();
            s.AppendLine("Replayed in each file's order at " + $"{F(r.ApproveBelow)}/{F(r.RejectAbove)}, as a new site has them (docs/scoring.md, \"Replies to comments "
                         + "nobody can see\" and \"Returning readers\"): a comment that opens by addressing (`@Name`) authors of earlier comments in its "
                         + "thread is held when none of those comments is published (a held reader counts as seen: its moderator approves it before "
                         + "anyone replies; held spam never); a comment from an address with an earlier comment published without a person is "
                         + "published below the spam threshold (no moderator assumed: a held comment does not count).").AppendLine();
            s.AppendLine("| file | readers published | spam published | all held | readers held as replies | spam held as replies | readers published as returning | spam published as returning |");
            s.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var x in rules)
                s.AppendLine($"| {Cell(x.Source)} | {P(x.Without.HamApproved)} → {P(x.With.HamApproved)} | {P(x.Without.SpamLeaked)} → {P(x.With.SpamLeaked)} | {P(x.Without.Held)} → {P(x.With.Held)} | {x.ReadersHeld} | {x.SpamHeld} | {x.ReadersTrusted} | {x.SpamTrusted} |");
            s.AppendLine();
        }

        s.AppendLine("## Operating points").AppendLine();
        s.AppendLine("Shares of ham and of spam at each pair of thresholds (published: score < approve below; spam: score ≥ spam at; held: between). "
                     + "Goals: spam published ≤ 3 %, ham to spam ≤ 0.5 %, ham published ≥ 90 %.").AppendLine();
        s.AppendLine("| approve below | spam at | ham published | ham held | ham to spam | spam published | spam held | spam caught | all held | goals |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var p in r.OperatingPoints.Append(r.AtThresholds).DistinctBy(p => (p.ApproveBelow, p.RejectAbove)).OrderBy(p => p.ApproveBelow).ThenBy(p => p.RejectAbove))
        {
            var mark = p.ApproveBelow == r.ApproveBelow && p.RejectAbove == r.RejectAbove ? "**" : "";
            s.AppendLine($"| {mark}{F(p.ApproveBelow)}{mark} | {mark}{F(p.RejectAbove)}{mark} | {P(p.HamApproved)} | {P(p.HamHeld)} | {P(p.HamToSpam)} | {P(p.SpamLeaked)} | {P(p.SpamHeld)} | {P(p.SpamCaught)} | {P(p.Held)} | {(p.MeetsGoals ? "met" : "–")} |");
        }
        s.AppendLine();
        foreach (var t in r.Trainers.Where(t => t.LeaveOneFileOutAtThresholds is not null))
        {
            var p = t.LeaveOneFileOutAtThresholds!;
            s.AppendLine($"Leave-one-file-out, {t.Trainer}, at {F(p.ApproveBelow)}/{F(p.RejectAbove)}: ham published {P(p.HamApproved)}, ham to spam {P(p.HamToSpam)}, spam published {P(p.SpamLeaked)}, held {P(p.Held)}.");
        }
        s.AppendLine();
        s.AppendLine("## Figures").AppendLine();
        s.AppendLine($"![ROC curve]({rocPng})").AppendLine();
        s.AppendLine($"![Score histogram]({histogramPng})");
        return s.ToString();
    }

    /// <summary>Per file, the <paramref name="n"/> readers scored most spam-like and the <paramref name="n"/> spam scored least.</summary>
    public static string WorstMistakes(string title, IEnumerable<OutOfSample> scored, int n)
    {
        var s = new StringBuilder($"# {title}\n\n");
        foreach (var file in scored.GroupBy(o => o.Comment.Source).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            s.Append($"## {file.Key}\n\n| label | score | name | website | e-mail | text |\n|---|---|---|---|---|---|\n");
            var worst = file.Where(o => !o.Comment.IsSpam).OrderByDescending(o => o.Probability).Take(n)
                .Concat(file.Where(o => o.Comment.IsSpam).OrderBy(o => o.Probability).Take(n));
            foreach (var o in worst)
            {
                var i = o.Comment.Input;
                s.Append($"| {(o.Comment.IsSpam ? "spam" : "ham")} | {o.Probability.ToString("0.000", Invariant)} | {Cell(i.AuthorName)} | {Cell(i.AuthorUrl)} | {Cell(i.AuthorEmail)} | {Cell(i.Body)} |\n");
            }
            s.Append('\n');
        }
        return s.ToString();
    }

    /// <summary>Kinds with fewer comments than this share one row: authors who name a kind per comment would fill pages.</summary>
    private const int KindRowFrom = 20;

    private static KindMetrics? Pooled(IReadOnlyList<KindMetrics> kinds, bool isSpam)
    {
        if (kinds.Count < 2) return kinds.FirstOrDefault();
        var n = kinds.Sum(k => k.Count);
        double Share(Func<KindMetrics, double> rate) => kinds.Sum(k => k.Count * rate(k)) / n;
        return new KindMetrics($"{kinds.Count} other kinds, each under {KindRowFrom} comments", isSpam, n, Share(k => k.Published), Share(k => k.Held), Share(k => k.ToSpam));
    }

    private static string Cell(string? text) =>
        (text ?? "").Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ") is var t && t.Length > 300 ? t[..300] + "…" : t;

    private static void MetricsTable(StringBuilder s, IEnumerable<(string Name, BinaryMetrics M)> rows)
    {
        s.AppendLine("| | n | spam | precision | recall | F1 | accuracy | MCC | ROC AUC | Brier | log loss |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, m) in rows)
            s.AppendLine($"| {name} | {m.Count} | {m.Spam} | {F(m.Precision, 4)} | {F(m.Recall, 4)} | {F(m.F1, 4)} | {F(m.Accuracy, 4)} | {F(m.Mcc, 4)} | {F(m.RocAuc, 4)} | {F(m.Brier, 4)} | {F(m.LogLoss, 4)} |");
        s.AppendLine();
    }

    private static void SourcePointsTable(StringBuilder s, IEnumerable<SourceMetrics> rows)
    {
        s.AppendLine("| file | readers published | readers held | readers to spam | spam published | spam held | spam caught | goals |");
        s.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (source, _, p) in rows.Where(r => r.AtThresholds is not null).Select(r => (r.Source, r.Metrics, r.AtThresholds!)))
            s.AppendLine($"| {source} | {P(p.HamApproved)} | {P(p.HamHeld)} | {P(p.HamToSpam)} | {P(p.SpamLeaked)} | {P(p.SpamHeld)} | {P(p.SpamCaught)} | {(p.MeetsGoals ? "met" : "–")} |");
        s.AppendLine();
    }

    private static string F(double? x, int digits = 2) => x is null || double.IsNaN(x.Value) ? "–" : x.Value.ToString("F" + digits, Invariant);
    private static string P(double x) => (100 * x).ToString("0.0", Invariant) + " %";
}
