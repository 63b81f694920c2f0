using Moderation.Spam.Evaluation;
using ScottPlot;

namespace Moderation.Cli.Reports;

/// <summary>The two figures of an evaluation: ROC curves and the score histogram of spam against ham.</summary>
internal static class Plots
{
    public static void Roc(string path, string title, IEnumerable<(string Label, IReadOnlyList<ScoredExample> Examples)> curves)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var (label, examples) in curves)
        {
            var points = BinaryMetrics.RocCurve(examples);
            var line = plot.Add.ScatterLine(points.Select(p => p.Fpr).ToArray(), points.Select(p => p.Tpr).ToArray(), palette.GetColor(i++));
            line.LineWidth = 2;
            line.LegendText = $"{label} (AUC {BinaryMetrics.AreaUnderRoc(examples):0.000})";
        }
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        plot.Axes.SetLimits(-0.01, 1.01, -0.01, 1.01);
        plot.Title(title);
        plot.XLabel("False positive rate (share of ham scored as spam)");
        plot.YLabel("True positive rate (share of spam caught)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 800, 600);
    }

    public static void Histogram(string path, string title, IReadOnlyList<ScoredExample> examples, double approveBelow, double rejectAbove)
    {
        const int bins = 20;
        var plot = new Plot();
        foreach (var (isSpam, color, label, offset) in new[] { (false, Colors.SteelBlue, "ham", -0.0115), (true, Colors.OrangeRed, "spam", 0.0115) })
        {
            var scores = examples.Where(e => e.IsSpam == isSpam).Select(e => e.Probability).ToArray();
            var counts = new double[bins];
            foreach (var s in scores) counts[Math.Min((int)(s * bins), bins - 1)]++;
            var bars = counts.Select((c, b) => new Bar
            {
                Position = (b + 0.5) / bins + offset,
                Value = scores.Length == 0 ? 0 : 100.0 * c / scores.Length,
                Size = 0.022,
                FillColor = color,
                LineWidth = 0,
            }).ToList();
            var series = plot.Add.Bars(bars);
            series.LegendText = $"{label} (n = {scores.Length})";
        }
        foreach (var (x, name) in new[] { (approveBelow, "approve below"), (rejectAbove, "spam at or above") })
        {
            var line = plot.Add.VerticalLine(x, 2, Colors.Black, name.StartsWith("approve", StringComparison.Ordinal) ? LinePattern.Dotted : LinePattern.Dashed);
            line.LegendText = $"{name} {x:0.00}";
        }
        plot.Axes.SetLimits(0, 1, 0, null);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.XLabel("Spam probability");
        plot.YLabel("Share of the class in the bin (%)");
        plot.ShowLegend(Alignment.UpperCenter);
        plot.SavePng(path, 800, 600);
    }
}
