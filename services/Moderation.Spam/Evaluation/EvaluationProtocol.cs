using System.Diagnostics;
using Microsoft.ML;
using Moderation.Spam.Training;

namespace Moderation.Spam.Evaluation;

/// <summary>A comment, the probability a model gave it, and the fold or held-out source it was scored in.</summary>
public sealed record OutOfSample(LabelledComment Comment, double Probability, string Split)
{
    public ScoredExample Example => new(Comment.IsSpam, Probability);
}

/// <summary>
/// Ways to score every comment with a model that never saw it: stratified k-fold and leave-one-source-out
/// (each file in turn held out). Each split trains the whole pipeline, n-gram dictionary and IDF included.
/// </summary>
public sealed class EvaluationProtocol(int seed = 1, IProgress<string>? progress = null)
{
    public IReadOnlyList<OutOfSample> CrossValidate(IReadOnlyList<LabelledComment> data, SpamTrainer trainer, int folds)
    {
        var fold = LabelledData.StratifiedFolds(data, folds, seed);
        var results = new List<OutOfSample>();
        for (var k = 0; k < folds; k++)
        {
            var held = k;
            results.AddRange(TrainAndScore(
                [.. data.Where((_, i) => fold[i] != held)],
                [.. data.Where((_, i) => fold[i] == held)],
                trainer, $"fold {k + 1}", $"{trainer} fold {k + 1}/{folds}"));
        }
        return results;
    }

    public IReadOnlyList<OutOfSample> LeaveOneSourceOut(IReadOnlyList<LabelledComment> data, SpamTrainer trainer)
    {
        var sources = data.Select(c => c.Source).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (sources.Length < 2) throw new ArgumentException("Leave-one-file-out needs comments from at least two files.");
        var results = new List<OutOfSample>();
        for (var s = 0; s < sources.Length; s++)
        {
            var source = sources[s];
            results.AddRange(TrainAndScore(
                [.. data.Where(c => c.Source != source)],
                [.. data.Where(c => c.Source == source)],
                trainer, source, $"{trainer} without {source} ({s + 1}/{sources.Length})"));
        }
        return results;
    }

    /// <summary>The worst held-out file's F1: a model must hold up on every kind of site it meets, not on average.</summary>
    public static double WorstF1PerSource(IEnumerable<OutOfSample> scored) =>
        scored.GroupBy(o => o.Comment.Source).Min(g => BinaryMetrics.Compute([.. g.Select(o => o.Example)]).F1);

    /// <summary>Scores comments with a finished model (no training).</summary>
    public static IReadOnlyList<OutOfSample> ScoreWith(SpamModel model, IReadOnlyList<LabelledComment> data)
    {
        var probabilities = Probabilities(data.Select(c => c.Input).ToArray(),
            inputs => [.. model.Predict(inputs.Select(i => CommentFeatures.Extract(i))).Select(p => (double)p.Probability)]);
        return [.. data.Select((c, i) => new OutOfSample(c, probabilities[i], c.Source))];
    }

    /// <summary>The probabilities a served model gives: the model's, with <see cref="FormAlone"/> applied.</summary>
    private static double[] Probabilities(IReadOnlyList<SpamModelInput> inputs, Func<IReadOnlyList<SpamModelInput>, IReadOnlyList<double>> score)
    {
        var probabilities = score(inputs).ToArray();
        FormAlone.Apply(inputs, probabilities, score);
        return probabilities;
    }

    /// <summary>Trains on one set and scores another (a held-out source), each comment's split named after its source.</summary>
    public IReadOnlyList<OutOfSample> TrainAndScore(IReadOnlyList<LabelledComment> train, IReadOnlyList<LabelledComment> test, SpamTrainer trainer, string label) =>
        [.. TrainAndScore(train, test, trainer, "", $"{trainer} for {label}").Select(o => o with { Split = o.Comment.Source })];

    private IEnumerable<OutOfSample> TrainAndScore(
        IReadOnlyList<LabelledComment> train, IReadOnlyList<LabelledComment> test, SpamTrainer trainer, string split, string label)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed);
        var model = SpamPipeline.Fit(ml, ModelRows.Load(ml, train.Select(c => CommentFeatures.Extract(c.Input, c.IsSpam))), trainer);
        var probabilities = Probabilities(test.Select(c => c.Input).ToArray(), inputs =>
            [.. ml.Data.CreateEnumerable<ModelPrediction>(model.Transform(ModelRows.Load(ml, inputs.Select(i => CommentFeatures.Extract(i)))),
                reuseRowObject: false).Select(p => (double)p.Probability)]);
        progress?.Report($"{label}: trained on {train.Count}, scored {test.Count} in {clock.Elapsed.TotalSeconds:0.0} s");
        return test.Select((c, i) => new OutOfSample(c, probabilities[i], split));
    }
}
