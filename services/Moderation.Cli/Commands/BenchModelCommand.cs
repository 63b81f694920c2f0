using System.CommandLine;
using System.Diagnostics;
using Moderation.Cli.Reports;
using Moderation.Contracts;
using Moderation.Spam;

namespace Moderation.Cli.Commands;

/// <summary>
/// `moderation bench-model`: comments per second of <see cref="MlScorer"/> on one thread against the raw
/// ML.NET pipeline (features + one <c>Transform</c> pass) on the same texts in the same run; model load
/// time; memory held by a loaded model. Medians of several runs.
/// </summary>
internal static class BenchModelCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = ScoreCommand.ModelOption();
        var runs = new Option<int>("--runs") { Description = "Timed runs per measurement (the median is reported).", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var count = new Option<int>("--count") { Description = "Comments per run (the texts are repeated as needed).", DefaultValueFactory = _ => 2000 }.AtLeast(1);
        var output = new Option<string>("--out") { Description = "Markdown report (the committed one is docs/evaluation/model-benchmark.md: name it to replace it).", DefaultValueFactory = _ => "artifacts/evaluation/model-benchmark.md" };
        var command = new Command("bench-model", "Benchmark scoring throughput, load time and memory of a model.") { model, runs, count, output };
        data.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var progress = new ConsoleProgress(r.InvocationConfiguration.Error);
            IReadOnlyList<LabelledComment> comments;
            await using (var sources = await data.OpenAsync(r, ct)) comments = await DataOptions.ReadAsync(sources.Sources, progress, ct);
            LabelCounts.RequireAny(comments);
            var n = r.GetValue(count);
            var inputs = Enumerable.Range(0, n).Select(i => comments[i % comments.Count].Input).ToArray();
            var modelPath = r.GetValue(model);
            if (modelPath is not null && !File.Exists(modelPath)) throw new UserError($"no model file at {modelPath}.");
            // Loaded as a worker loads it: the built-in default from the assembly, any other from its file.
            var result = modelPath is null
                ? ModelBenchmark.Run(SpamModel.LoadDefault, DefaultModelFileBytes(), inputs, r.GetValue(runs), progress)
                : ModelBenchmark.Run(() => SpamModel.Load(modelPath), new FileInfo(modelPath).Length, inputs, r.GetValue(runs), progress);
            var markdown = ModelBenchmark.Markdown(result, modelPath ?? "built-in default", comments.Count);
            var path = r.GetRequiredValue(output);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, markdown, ct);
            r.InvocationConfiguration.Output.Write(markdown);
            return 0;
        });
        return command;
    }

    private static long DefaultModelFileBytes()
    {
        using var file = SpamModel.OpenDefaultFile();
        return file.Length;
    }
}

internal sealed record BenchmarkResult(
    string ModelVersion, string Serving, int Comments, int Runs, long ModelFileBytes,
    double LoadMsMedian, long LoadedModelBytes,
    double ScorerPerSecond, double BatchPerSecond, double RawPerSecond, double RawWithoutFeaturesPerSecond, double ParallelScorerPerSecond)
{
    public double ScorerToRaw => ScorerPerSecond / RawPerSecond;
}

internal static class ModelBenchmark
{
    public static BenchmarkResult Run(Func<SpamModel> load, long modelFileBytes, SpamModelInput[] inputs, int runs, IProgress<string> progress)
    {
        var loadMs = Median(Enumerable.Range(0, runs).Select(_ => Time(() => load())));
        var before = Settle();
        var model = load();
        model.Score(inputs[0]); // warm, as in a serving worker (with ML.NET serving: one engine created)
        var loadedBytes = Settle() - before;
        progress.Report($"model {model.Version} ({model.Serving}): load {loadMs:0} ms, {loadedBytes / 1048576.0:0.0} MiB held");

        var scorer = new MlScorer(model);
        var submissions = inputs.Select(i => new CommentSubmitted(Guid.NewGuid(), "bench", "t", null, null, null, i.AuthorName ?? "", i.AuthorEmail ?? "",
            i.AuthorUrl, i.Body, DateTime.UtcNow, null, null, null, null, false, i.ElapsedMs)).ToArray();
        var rows = inputs.Select(i => CommentFeatures.Extract(i)).ToArray();

        // Tiered compilation promotes a hot method to optimised code only after a pause in JIT work, and every raw
        // ML.NET pass below emits code anew: left to the interleaved runs, the scorer stayed on unoptimised code. Warm it
        // alone first, to the steady state of a serving worker, which emits nothing per comment.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(3)) foreach (var c in submissions) scorer.Score(c);

        // Alternate the measurements run by run so a busy neighbour on the machine slows them alike.
        var scorer1 = new List<double>(); var batch = new List<double>(); var raw = new List<double>(); var rawOnly = new List<double>(); var parallel = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var s = Rate(inputs.Length, () => { foreach (var c in submissions) scorer.Score(c); });
            var b = Rate(inputs.Length, () => scorer.ScoreBatch(submissions));
            var w = Rate(inputs.Length, () => Drain(model.Predict(inputs.Select(i => CommentFeatures.Extract(i)))));
            var o = Rate(inputs.Length, () => Drain(model.Predict(rows)));
            var p = Rate(inputs.Length, () => Parallel.ForEach(submissions, c => scorer.Score(c)));
            if (run == 0) continue; // warm-up
            scorer1.Add(s); batch.Add(b); raw.Add(w); rawOnly.Add(o); parallel.Add(p);
            progress.Report($"run {run}/{runs}: MlScorer {s:0}/s, batch {b:0}/s, raw Transform {w:0}/s");
        }
        return new BenchmarkResult(model.Version, model.Serving, inputs.Length, runs, modelFileBytes, loadMs, loadedBytes,
            Median(scorer1), Median(batch), Median(raw), Median(rawOnly), Median(parallel));
    }

    public static string Markdown(BenchmarkResult r, string model, int distinctTexts) => $"""
        # Spam model benchmark

        Model `{r.ModelVersion}` ({model}, {r.ModelFileBytes / 1024.0:0} KiB file, served {r.Serving}), {r.Comments} comments per run
        ({distinctTexts} distinct texts, repeated), median of {r.Runs} runs after one warm-up, on a machine with
        {Environment.ProcessorCount} cores shared with other work ({(IsDebugBuild ? "Debug" : "Release")} build). Written by `moderation bench-model`.

        | what | comments/s |
        |---|---|
        | `MlScorer.Score`, one at a time, one thread (features, the model as served, reasons) | {r.ScorerPerSecond:0} |
        | raw ML.NET: features + one `Transform` pass over all rows, one thread | {r.RawPerSecond:0} |
        | raw ML.NET `Transform` only (features computed beforehand) | {r.RawWithoutFeaturesPerSecond:0} |
        | `MlScorer.ScoreBatch` (the model as served over the whole list, reasons included) | {r.BatchPerSecond:0} |
        | `MlScorer.Score` from {Environment.ProcessorCount} threads (all cores) | {r.ParallelScorerPerSecond:0} |

        - MlScorer per core ÷ raw (features + `Transform`): **{r.ScorerToRaw:0.00}** (goal ≥ 0.5); ÷ `Transform` alone: {r.ScorerPerSecond / r.RawWithoutFeaturesPerSecond:0.00}
        - model load (median): {r.LoadMsMedian:0} ms
        - memory held by a loaded model after scoring one comment: {r.LoadedModelBytes / 1048576.0:0.0} MiB (managed heap, after a full collection)

        """;

    private static bool IsDebugBuild =>
        typeof(ModelBenchmark).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().Any(d => d.IsJITOptimizerDisabled);

    private static void Drain(IEnumerable<ModelPrediction> predictions)
    {
        foreach (var _ in predictions) { }
    }

    private static double Rate(int count, Action action) => count / (Time(action) / 1000.0);

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
