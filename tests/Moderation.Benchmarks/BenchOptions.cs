using System.Globalization;

namespace Moderation.Benchmarks;

public sealed record BenchOptions
{
    public const string Usage = """
        dotnet run -c Release --project tests/Moderation.Benchmarks -- [options]
          --quick              short smoke run (3 s per measurement, 5 s sustained, 1 run); results to artifacts/bench/
          --runs N             repeat each measured phase N times and report medians (default 3; 1 with --quick)
          --concurrency N      closed-loop HTTP/publish loops (default 64)
          --seconds S          measured seconds per throughput measurement (default 10; 3 with --quick)
          --warmup S           unmeasured seconds before each throughput measurement (default 2; 1 with --quick)
          --sustain S          seconds of the worker's sustained run (default 60; 5 with --quick)
          --drain N            messages pre-filled for the drain measurement (default 5000; 1000 with --quick)
          --e2e-rate R         submissions per second in the end-to-end phase (default 50)
          --e2e-seconds S      seconds of the end-to-end phase (default 20; 4 with --quick)
          --skip-build         reuse artifacts/bench/publish from an earlier run
          --out DIR            where results.md and results.json go (default benchmarks/)
          --phases LIST        only these phases, comma-separated: ingest,read,drain,sustain,e2e (default all)
          --set KEY=VALUE      extra environment variable for every service process (repeatable; for experiments)
          --instance NAME      suffix for the benchmark's database and virtual hosts, so that benchmarks run from
                               several checkouts at once do not drop each other's (default: none)
        """;

    public bool Help { get; init; }
    public bool Quick { get; init; }
    public int Runs { get; init; } = 3;
    public int Concurrency { get; init; } = 64;
    public double Seconds { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 2;
    public double SustainSeconds { get; init; } = 60;
    public int DrainCount { get; init; } = 5_000;
    public double E2eRate { get; init; } = 50;
    public double E2eSeconds { get; init; } = 20;
    public bool SkipBuild { get; init; }
    public string? OutDir { get; init; }
    public string? Instance { get; init; }
    public IReadOnlySet<string> Phases { get; init; } = AllPhases;
    public IReadOnlyDictionary<string, string> ServiceEnv { get; init; } = new Dictionary<string, string>();

    public static readonly IReadOnlySet<string> AllPhases = new HashSet<string> { "ingest", "read", "drain", "sustain", "e2e" };

    public bool Has(string phase) => Phases.Contains(phase);

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var o = quick
            ? new BenchOptions { Quick = true, Runs = 1, Seconds = 3, WarmupSeconds = 1, SustainSeconds = 5, DrainCount = 1000, E2eSeconds = 4 }
            : new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number(double min, double max)
            {
                var name = args[i];
                var v = double.Parse(Next(), CultureInfo.InvariantCulture);
                return v >= min && v <= max ? v : throw new ArgumentException($"{name} must be between {min} and {max}");
            }
            o = args[i] switch
            {
                "--quick" => o,
                "--help" or "-h" => o with { Help = true },
                "--runs" => o with { Runs = (int)Number(1, 20) },
                "--concurrency" => o with { Concurrency = (int)Number(1, 512) },
                "--seconds" => o with { Seconds = Number(1, 600) },
                "--warmup" => o with { WarmupSeconds = Number(0, 600) },
                "--sustain" => o with { SustainSeconds = Number(3, 600) },
                "--drain" => o with { DrainCount = (int)Number(10, 1_000_000) },
                "--e2e-rate" => o with { E2eRate = Number(1, 1000) },
                "--e2e-seconds" => o with { E2eSeconds = Number(1, 600) },
                "--skip-build" => o with { SkipBuild = true },
                "--out" => o with { OutDir = Next() },
                "--instance" => o with { Instance = InstanceName(Next()) },
                "--phases" => o with { Phases = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() },
                "--set" => o with { ServiceEnv = Set(o.ServiceEnv, Next()) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (o.Phases.Except(AllPhases).FirstOrDefault() is { } unknown) throw new ArgumentException($"unknown phase {unknown}");
        return o;
    }

    private static string InstanceName(string name) =>
        name.Length is > 0 and <= 20 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            ? name
            : throw new ArgumentException("--instance takes 1-20 lower-case letters or digits");

    /// <summary>The database or virtual host name for this invocation: <paramref name="name"/> plus the instance suffix.</summary>
    public string Named(string name, char separator) => Instance is null ? name : $"{name}{separator}{Instance}";

    private static Dictionary<string, string> Set(IReadOnlyDictionary<string, string> env, string assignment)
    {
        var parts = assignment.Split('=', 2);
        if (parts.Length != 2 || parts[0].Length == 0) throw new ArgumentException("--set needs KEY=VALUE");
        return new Dictionary<string, string>(env) { [parts[0]] = parts[1] };
    }
}
