namespace Moderation.Spam.Evaluation;

/// <summary>One scored example: the truth and the model's spam probability.</summary>
public readonly record struct ScoredExample(bool IsSpam, double Probability);

/// <summary>The usual binary-classification figures at one threshold, plus threshold-free AUC and calibration.</summary>
public sealed record BinaryMetrics(
    int Count, int Spam, int Ham, double Threshold,
    double Precision, double Recall, double F1, double Accuracy, double Mcc,
    double RocAuc, double Brier, double LogLoss)
{
    public static BinaryMetrics Compute(IReadOnlyList<ScoredExample> examples, double threshold = 0.5)
    {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        double brier = 0, logLoss = 0;
        foreach (var e in examples)
        {
            var predicted = e.Probability >= threshold;
            if (predicted && e.IsSpam) tp++;
            else if (predicted) fp++;
            else if (e.IsSpam) fn++;
            else tn++;
            var truth = e.IsSpam ? 1.0 : 0.0;
            brier += (e.Probability - truth) * (e.Probability - truth);
            var p = Math.Clamp(e.Probability, 1e-7, 1 - 1e-7);
            logLoss -= e.IsSpam ? Math.Log(p) : Math.Log(1 - p);
        }
        var n = Math.Max(examples.Count, 1);
        var precision = Ratio(tp, tp + fp);
        var recall = Ratio(tp, tp + fn);
        var mccDenominator = Math.Sqrt((double)(tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
        return new BinaryMetrics(
            examples.Count, (int)(tp + fn), (int)(tn + fp), threshold,
            precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            Ratio(tp + tn, examples.Count),
            mccDenominator == 0 ? 0 : (tp * tn - fp * fn) / mccDenominator,
            AreaUnderRoc(examples), brier / n, logLoss / n);
    }

    /// <summary>Mann–Whitney form: the chance a random spam scores above a random ham (ties count half).</summary>
    public static double AreaUnderRoc(IReadOnlyList<ScoredExample> examples)
    {
        var sorted = examples.OrderBy(e => e.Probability).ToArray();
        double rankSumSpam = 0;
        long spam = 0;
        for (var i = 0; i < sorted.Length;)
        {
            var j = i;
            while (j < sorted.Length && sorted[j].Probability == sorted[i].Probability) j++;
            var averageRank = (i + 1 + j) / 2.0; // ranks i+1..j share their mean
            for (var k = i; k < j; k++)
                if (sorted[k].IsSpam) { rankSumSpam += averageRank; spam++; }
            i = j;
        }
        var ham = sorted.Length - spam;
        return spam == 0 || ham == 0 ? double.NaN : (rankSumSpam - spam * (spam + 1) / 2.0) / ((double)spam * ham);
    }

    /// <summary>ROC curve points (false-positive rate, true-positive rate), from (0,0) to (1,1).</summary>
    public static IReadOnlyList<(double Fpr, double Tpr)> RocCurve(IReadOnlyList<ScoredExample> examples)
    {
        var spam = Math.Max(examples.Count(e => e.IsSpam), 1);
        var ham = Math.Max(examples.Count(e => !e.IsSpam), 1);
        var points = new List<(double, double)> { (0, 0) };
        long tp = 0, fp = 0;
        foreach (var group in examples.GroupBy(e => e.Probability).OrderByDescending(g => g.Key))
        {
            foreach (var e in group) { if (e.IsSpam) tp++; else fp++; }
            points.Add(((double)fp / ham, (double)tp / spam));
        }
        return points;
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;
}
