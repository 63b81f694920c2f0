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
    public IReadOnlyList<OutOfSample> CrossValidate(IReadOnlyList<LabelledComment> data, SpamTrainer trainer, int folds) =>
        CrossValidate(data, [trainer], folds)[trainer];

    /// <summary>Each learner over the same folds; an ensemble's fit also gives its parts' scores (<see cref="Fits"/>).</summary>
    public IReadOnlyDictionary<SpamTrainer, IReadOnlyList<OutOfSample>> CrossValidate(
        IReadOnlyList<LabelledComment> data, IReadOnlyList<SpamTrainer> trainers, int folds)
    {
        var fold = LabelledData.StratifiedFolds(data, folds, seed);
        return Collect(trainers, Enumerable.Range(0, folds).Select(k => TrainAndScore(
            [.. data.Where((_, i) => fold[i] != k)],
            [.. data.Where((_, i) => fold[i] == k)],
            trainers, $"fold {k + 1}", $"fold {k + 1}/{folds}")));
    }

    public IReadOnlyList<OutOfSample> LeaveOneSourceOut(IReadOnlyList<LabelledComment> data, SpamTrainer trainer) =>
        LeaveOneSourceOut(data, [trainer])[trainer];

    public IReadOnlyDictionary<SpamTrainer, IReadOnlyList<OutOfSample>> LeaveOneSourceOut(IReadOnlyList<LabelledComment> data, IReadOnlyList<SpamTrainer> trainers)
    {
        var sources = data.Select(c => c.Source).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (sources.Length < 2) throw new ArgumentException("Leave-one-file-out needs comments from at least two files.");
        return Collect(trainers, sources.Select((source, s) => TrainAndScore(
            [.. data.Where(c => c.Source != source)],
            [.. data.Where(c => c.Source == source)],
            trainers, source, $"without {source} ({s + 1}/{sources.Length})")));
    }

    /// <summary>
    /// The fits that score these learners, each with the learners read from it: an ensemble holds a linear model and
    /// trees fitted exactly as they are alone, so its one fit also gives their probabilities (a third of the work saved
    /// when all three are compared).
    /// </summary>
    public static IReadOnlyList<(SpamTrainer Fitted, SpamTrainer[] Read)> Fits(IReadOnlyList<SpamTrainer> trainers)
    {
        var distinct = trainers.Distinct().ToArray();
        if (!distinct.Contains(SpamTrainer.Ensemble)) return [.. distinct.Select(t => (t, new[] { t }))];
        SpamTrainer[] parts = [SpamTrainer.LogisticRegression, SpamTrainer.LightGbm];
        return [(SpamTrainer.Ensemble, [SpamTrainer.Ensemble, .. parts.Where(distinct.Contains)]),
            .. distinct.Where(t => t != SpamTrainer.Ensemble && !parts.Contains(t)).Select(t => (t, new[] { t }))];
    }

    private static Dictionary<SpamTrainer, IReadOnlyList<OutOfSample>> Collect(
        IReadOnlyList<SpamTrainer> trainers, IEnumerable<IReadOnlyDictionary<SpamTrainer, IReadOnlyList<OutOfSample>>> splits)
    {
        var results = trainers.Distinct().ToDictionary(t => t, _ => new List<OutOfSample>());
        foreach (var split in splits)
            foreach (var (trainer, scored) in split) results[trainer].AddRange(scored);
        return results.ToDictionary(p => p.Key, p => (IReadOnlyList<OutOfSample>)p.Value);
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
        [.. TrainAndScore(train, test, [trainer], "", $"for {label}")[trainer].Select(o => o with { Split = o.Comment.Source })];

    private Dictionary<SpamTrainer, IReadOnlyList<OutOfSample>> TrainAndScore(
        IReadOnlyList<LabelledComment> train, IReadOnlyList<LabelledComment> test, IReadOnlyList<SpamTrainer> trainers, string split, string label)
    {
        var results = new Dictionary<SpamTrainer, IReadOnlyList<OutOfSample>>();
        foreach (var (fitted, read) in Fits(trainers))
        {
            var clock = Stopwatch.StartNew();
            var ml = new MLContext(seed);
            var model = SpamPipeline.Fit(ml, ModelRows.Load(ml, train.Select(c => CommentFeatures.Extract(c.Input, c.IsSpam))), fitted);
            var columns = read.Select(trainer => SpamPipeline.ProbabilityColumn(fitted, trainer)).ToArray();
            var inputs = test.Select(c => c.Input).ToArray();
            // One pass over the test set gives every learner's probabilities; only FormAlone's second looks are per learner.
            var scored = Columns(ml, model, inputs, columns);
            for (var j = 0; j < read.Length; j++)
            {
                var column = columns[j];
                FormAlone.Apply(inputs, scored[j], stripped => Columns(ml, model, stripped, [column])[0]);
                var probabilities = scored[j];
                results[read[j]] = [.. test.Select((c, i) => new OutOfSample(c, probabilities[i], split))];
            }
            var also = read.Length > 1 ? $" (and {string.Join(", ", read.Skip(1))} from it)" : "";
            progress?.Report($"{fitted}{also} {label}: trained on {train.Count}, scored {test.Count} in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        return results;
    }

    /// <summary>The named probability columns of a fitted model for each input, read in one pass of the pipeline.</summary>
    private static double[][] Columns(MLContext ml, ITransformer model, IReadOnlyList<SpamModelInput> inputs, string[] columns)
    {
        var scored = model.Transform(ModelRows.Load(ml, inputs.Select(i => CommentFeatures.Extract(i))));
        var wanted = columns.Select(c => scored.Schema[c]).ToArray();
        using var cursor = scored.GetRowCursor(wanted);
        var getters = wanted.Select(cursor.GetGetter<float>).ToArray();
        var values = columns.Select(_ => new double[inputs.Count]).ToArray();
        var value = 0f;
        for (var row = 0; cursor.MoveNext(); row++)
            for (var j = 0; j < getters.Length; j++)
            {
                getters[j](ref value);
                values[j][row] = value;
            }
        return values;
    }
}
