using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moderation.Benchmarks;

public sealed record DepthSample(double T, long Stored, long Backlog, long? Ready, long? ManagementMessages);

public sealed record Row(string Metric, string Value, string Baseline, string Ratio, string Goal, string Met);

/// <summary>Every run's figures, their medians, and the report (markdown table and JSON).</summary>
public sealed class BenchResults
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public DateTimeOffset Started { get; set; }
    public string Command { get; set; } = "";
    public string Commit { get; set; } = "";
    public Machine Machine { get; set; } = null!;
    public BenchOptions Options { get; set; } = null!;
    public double TotalSeconds { get; set; }
    public List<string> Notes { get; } = [];
    public SortedDictionary<string, List<double>> PerRun { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, List<LoadResult>> Loads { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<int, List<DepthSample>> DepthSamples { get; } = [];
    public IReadOnlyDictionary<string, double> RssPeakMb { get; set; } = new Dictionary<string, double>();
    public IReadOnlyDictionary<string, Dictionary<string, double>> RssPeakMbByPhase { get; set; } = new Dictionary<string, Dictionary<string, double>>();

    public void Add(int run, string key, double value)
    {
        if (!PerRun.TryGetValue(key, out var list)) PerRun[key] = list = [];
        list.Add(value);
    }

    public void Add(int run, string key, LoadResult load)
    {
        if (!Loads.TryGetValue(key, out var list)) Loads[key] = list = [];
        list.Add(load);
        Add(run, key + ".rps", load.PerSecond);
        Add(run, key + ".p50", load.P50Ms);
        Add(run, key + ".p99", load.P99Ms);
        Add(run, key + ".errors", load.Errors);
        if (!double.IsNaN(load.CpuMsPerOp)) Add(run, key + ".cpu_ms", load.CpuMsPerOp);
        if (!double.IsNaN(load.MachineMsPerOp)) Add(run, key + ".machine_cpu_ms", load.MachineMsPerOp);
        if (!double.IsNaN(load.MachineBusyCores)) Add(run, key + ".machine_busy_cores", load.MachineBusyCores);
    }

    public double Median(string key) => PerRun.TryGetValue(key, out var list) ? Stats.Median(list) : double.NaN;

    public List<Row> Rows()
    {
        var rows = new List<Row>();
        string N(double v, string format = "N0") => double.IsNaN(v) ? "n/a" : v.ToString(format, Inv);
        string Ms(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.0", Inv) + " ms";
        string Ms2(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", Inv) + " ms";
        string R(double v) => double.IsNaN(v) || double.IsInfinity(v) ? "n/a" : v.ToString("0.00", Inv) + "×";
        static bool Ok(double ratio, double goal) => double.IsFinite(ratio) && ratio >= goal;
        string Met(bool? met) => met switch { true => "yes", false => "**no**", null => "—" };

        // 1. Ingestion
        var ingest = Median("ingest.product.rps");
        var raw = Median("ingest.raw.rps");
        var bare = Median("ingest.bare.rps");
        rows.Add(new("1. Ingestion accepted comments/s (202 after publisher confirm)", N(ingest), $"raw RabbitMQ.Client confirmed publishes: {N(raw)}/s", R(ingest / raw), "≥ 0.8× raw", Met(Ok(ingest / raw, 0.8))));
        rows.Add(new("1. Ingestion vs bare minimal endpoint (parse JSON, 202)", N(ingest), $"bare: {N(bare)}/s", R(ingest / bare), "(context)", Met(null)));
        rows.Add(new("1. Ingestion service CPU per accepted comment", Ms2(Median("ingest.product.cpu_ms")), $"bare endpoint: {Ms2(Median("ingest.bare.cpu_ms"))}", "", "(context: less disturbed by other load)", Met(null)));
        rows.Add(new("1. Whole machine while ingestion accepts at its maximum", $"{N(Median("ingest.product.machine_busy_cores"), "0.00")} of {Machine.Nproc} cores busy",
            $"{Ms2(Median("ingest.product.machine_cpu_ms"))} of machine CPU per accepted comment (ingestion, RabbitMQ, the load generator)", "", "(context)", Met(null)));
        rows.Add(new("1. Ingestion latency p50 / p99", $"{Ms(Median("ingest.product.p50"))} / {Ms(Median("ingest.product.p99"))}",
            $"raw: {Ms(Median("ingest.raw.p50"))} / {Ms(Median("ingest.raw.p99"))}; bare: {Ms(Median("ingest.bare.p50"))} / {Ms(Median("ingest.bare.p99"))}", "", "(context)", Met(null)));

        // 2. Worker
        var workerRate = Median("sustain.worker_rate");
        var sustainIngest = Median("sustain.ingest.rps");
        var slope = Median("sustain.depth_slope");
        var keepsUp = KeepsUp(workerRate, slope, sustainIngest);
        rows.Add(new($"2. Worker sustained scored+stored comments/s (1 process, {Options.SustainSeconds:0} s, ingestion at max rate)", N(workerRate),
            $"ingestion accepted meanwhile: {N(sustainIngest)}/s; machine {N(Median("sustain.ingest.machine_busy_cores"), "0.00")} of {Machine.Nproc} cores busy", R(workerRate / sustainIngest), "worker keeps up (depth bounded)", Met(keepsUp)));
        rows.Add(new("2. Backlog during that run (comments accepted, not yet stored): growth, max, end", $"{N(slope, "+0;-0;0")} comments/s, max {N(Median("sustain.depth_max"))}, end {N(Median("sustain.depth_end"))}",
            "", "", "growth ≤ 2% of ingest rate", Met(keepsUp)));
        rows.Add(new($"2. Drain rate ({Options.DrainCount:N0} pre-filled, worker started)", $"{N(Median("drain.rate"))}/s",
            $"all stored {N(Median("drain.total_s"), "0.0")} s after process start (first after {N(Median("drain.startup_s"), "0.0")} s); CPU per comment: worker {N(Median("drain.worker_cpu_ms"), "0.00")} ms, whole machine {N(Median("drain.machine_cpu_ms"), "0.00")} ms", "", "(context)", Met(null)));

        string[] servers = ["postgresql", "redis", "rabbitmq", "read-api"];
        var parts = servers.Select(server => (Server: server, Ms: Median($"drain.cpu_ms.{server}"))).ToList();
        var rest = Median("drain.machine_cpu_ms") - Median("drain.worker_cpu_ms") - parts.Sum(p => p.Ms);
        rows.Add(new("2. Where a stored comment's machine CPU went (drain)", $"worker {Ms2(Median("drain.worker_cpu_ms"))}, " + string.Join(", ", parts.Select(p => $"{p.Server} {Ms2(p.Ms)}")),
            $"everything else (the load generator's counting, the system): {Ms2(rest)}", "", "(context)", Met(null)));

        // Accepting and storing share the cores: at full load each second's CPU is spent on both, so this is the
        // most the two can do together, and what storing would have to cost to keep up with ingestion's maximum.
        var (acceptMs, storeMs) = (Median("ingest.product.machine_cpu_ms"), Median("drain.machine_cpu_ms"));
        var machineMs = Machine.Nproc * 1000.0;
        rows.Add(new("2. What this machine can accept and store together (whole-machine CPU per comment)", $"≤ {N(machineMs / (acceptMs + storeMs))} comments/s",
            $"accepting {Ms2(acceptMs)} + storing {Ms2(storeMs)} (drain) on {Machine.Nproc} cores; keeping up with ingestion's {N(ingest)}/s leaves storing {Ms2(Math.Max(0, machineMs / ingest - acceptMs))}",
            "", "(context: why the worker cannot keep up on shared cores)", Met(null)));

        // 3. Read API
        var cached = Median("read.cached.rps");
        var readBare = Median("read.bare.rps");
        var uncached = Median("read.uncached.rps");
        rows.Add(new("3. Read API cached GET req/s (50-comment thread)", N(cached), $"bare endpoint, same bytes: {N(readBare)}/s", R(cached / readBare), "≥ 0.6× bare", Met(Ok(cached / readBare, 0.6))));
        rows.Add(new("3. Read API cached vs uncached (database fallback, Redis unreachable)", N(cached), $"uncached: {N(uncached)}/s", R(cached / uncached), "≥ 10× uncached", Met(Ok(cached / uncached, 10))));
        var redisOnly = Median("read.redis.rps");
        rows.Add(new("3. Read API GET with the local cache off (a Redis round trip per read)", N(redisOnly), $"bare: {N(readBare)}/s; uncached: {N(uncached)}/s",
            R(redisOnly / readBare), "(context: ReadCache:LocalMilliseconds=0)", Met(null)));
        rows.Add(new("3. Read API CPU per cached GET", Ms2(Median("read.cached.cpu_ms")),
            $"bare: {Ms2(Median("read.bare.cpu_ms"))}; Redis only: {Ms2(Median("read.redis.cpu_ms"))}; uncached (read API process only): {Ms2(Median("read.uncached.cpu_ms"))}", "", "(context: less disturbed by other load)", Met(null)));
        rows.Add(new("3. Read latency p50 / p99 (cached)", $"{Ms(Median("read.cached.p50"))} / {Ms(Median("read.cached.p99"))}",
            $"bare: {Ms(Median("read.bare.p50"))} / {Ms(Median("read.bare.p99"))}; uncached: {Ms(Median("read.uncached.p50"))} / {Ms(Median("read.uncached.p99"))}", "", "(context)", Met(null)));

        // 4. End to end
        rows.Add(new($"4. Submit → visible on the read API p50 / p99 ({Options.E2eRate:0}/s for {Options.E2eSeconds:0} s)", $"{Ms(Median("e2e.visible_p50"))} / {Ms(Median("e2e.visible_p99"))}",
            $"submit → status approved: {Ms(Median("e2e.approved_p50"))} / {Ms(Median("e2e.approved_p99"))}", "",
            $"(context; started on an empty queue ({N(Median("e2e.queue_at_start"))} ready); {N(Median("e2e.failures"))} failed)", Met(null)));

        // 5. Memory
        foreach (var (service, mb) in RssPeakMb.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            rows.Add(new($"5. Peak RSS: {service}", $"{mb:0} MB", "", "", "≤ 250 MB", Met(mb <= 250)));
        return rows;
    }

    /// <summary>The backlog grows by no more than 2 % of the ingestion rate (or 5 comments/s) over the sustained run.</summary>
    public static bool KeepsUp(double workerRate, double depthSlope, double ingestRate) =>
        !double.IsNaN(workerRate) && depthSlope <= Math.Max(0.02 * ingestRate, 5);

    public (string Markdown, string Json) Write(string dir)
    {
        Directory.CreateDirectory(dir);
        var rows = Rows();
        var md = new StringBuilder();
        md.AppendLine("# Moderation benchmark results").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Date: {Started:yyyy-MM-dd HH:mm zzz} (took {TotalSeconds / 60:0.0} min)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine.Summary}; load average {Machine.LoadAverageAtStart} at start, {Machine.LoadAverageAtEnd} at end (shared machine)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{Command}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Commit: {Commit}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Each figure is the median of {Options.Runs} run(s); {Options.Concurrency} closed-loop loops, {Options.WarmupSeconds:0.#} s warm-up + {Options.Seconds:0.#} s measured per throughput figure; baselines measured in the same run.");
        md.AppendLine("- Load generator, services, PostgreSQL, RabbitMQ and Redis all share the same cores (loopback only).").AppendLine();
        md.AppendLine("| metric | value | baseline | ratio | goal | met? |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var r in rows) md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Metric} | {r.Value} | {r.Baseline} | {r.Ratio} | {r.Goal} | {r.Met} |");
        md.AppendLine().AppendLine("## Per run").AppendLine();
        md.AppendLine("| measurement | runs | median |").AppendLine("| --- | --- | --- |");
        foreach (var (key, values) in PerRun)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {string.Join(", ", values.Select(v => v.ToString(Math.Abs(v) >= 100 ? "0" : "0.00", Inv)))} | {Stats.Median(values).ToString(Math.Abs(Stats.Median(values)) >= 100 ? "0" : "0.00", Inv)} |");
        md.AppendLine().AppendLine("## Peak RSS by phase (MB)").AppendLine();
        foreach (var (service, phases) in RssPeakMbByPhase.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            md.AppendLine(CultureInfo.InvariantCulture, $"- {service}: {string.Join(", ", phases.Select(p => $"{p.Key} {p.Value:0}"))}");
        if (Notes.Count > 0)
        {
            md.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var note in Notes) md.AppendLine("- " + note);
        }

        var mdPath = Path.Combine(dir, "results.md");
        var jsonPath = Path.Combine(dir, "results.json");
        File.WriteAllText(mdPath, md.ToString());
        var json = new
        {
            date = Started,
            command = Command,
            commit = Commit,
            machine = Machine,
            options = Options,
            totalSeconds = Math.Round(TotalSeconds, 1),
            rows,
            medians = PerRun.ToDictionary(kv => kv.Key, kv => Round(Stats.Median(kv.Value))),
            perRun = PerRun.ToDictionary(kv => kv.Key, kv => kv.Value.Select(Round).ToList()),
            loads = Loads,
            rssPeakMb = RssPeakMb.ToDictionary(kv => kv.Key, kv => Round(kv.Value)),
            rssPeakMbByPhase = RssPeakMbByPhase,
            queueDepthSamples = DepthSamples,
            notes = Notes,
        };
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(json, new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }));
        return (mdPath, jsonPath);
    }

    private static double Round(double v) => double.IsNaN(v) ? v : Math.Round(v, 2);
}

public sealed class Machine
{
    public int Nproc { get; init; }
    public long RamMb { get; init; }
    public string Cpu { get; init; } = "";
    public string Os { get; init; } = "";
    public string Runtime { get; init; } = "";
    public string LoadAverageAtStart { get; init; } = "";
    public string LoadAverageAtEnd { get; set; } = "";

    [JsonIgnore]
    public string Summary => $"{Nproc} cores ({Cpu}), {RamMb / 1024.0:0.0} GB RAM, {Os}, {Runtime}";

    public static Machine Describe() => new()
    {
        Nproc = Environment.ProcessorCount,
        RamMb = ReadMemTotalKb() / 1024,
        Cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?",
        Os = RuntimeInformation.OSDescription,
        Runtime = RuntimeInformation.FrameworkDescription,
        LoadAverageAtStart = LoadAverage(),
    };

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static long ReadMemTotalKb()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(" ", StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
