using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Data.Sqlite;
using static Moderation.Benchmarks.CommandLine;

namespace Moderation.Benchmarks;

/// <summary>
/// The standalone host's footprint, this build against a baseline commit in the same run: time to ready, resident
/// memory idle, and resident memory after a batch of comments has been accepted and scored. Each run starts the
/// published host with a fresh data directory (SQLite); the builds alternate so that a drift of the machine falls on both.
/// <c>dotnet run -c Release --project tests/Moderation.Benchmarks -- standalone [--baseline REF] [--runs N]
/// [--comments N] [--idle S] [--skip-build] [--out DIR]</c>
/// </summary>
public static class StandaloneBenchmark
{
    private const string Site = "bench";

    private sealed record Build(string Name, string Dll);

    private sealed record Run(string Build, double ReadySeconds, double IdleMb, double AfterMb, double PeakMb, double CommentsPerSecond);

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = (int)Number(args, "--runs", 3);
        var comments = (int)Number(args, "--comments", 6000);
        var idle = Number(args, "--idle", 15);
        var baselineRef = Option(args, "--baseline") ?? "e042a4c";
        var skip = args.Contains("--skip-build");
        var root = Benchmark.FindRoot();
        var artifacts = Path.Combine(root, "artifacts", "bench");
        var outDir = Path.Combine(root, Option(args, "--out") ?? "benchmarks");

        var baselineSha = Benchmark.Git(root, $"rev-parse --short {baselineRef}") is { Length: > 0 } sha ? sha
            : throw new ArgumentException($"--baseline {baselineRef}: not a commit of this repository");
        var builds = new[]
        {
            new Build($"baseline {baselineSha}", await ServiceProcess.PublishAsync(await WorktreeAsync(root, baselineSha),
                Path.Combine(artifacts, "baseline-" + baselineSha), "Standalone", skip)),
            new Build($"this build {Benchmark.Git(root, "rev-parse --short HEAD")}{(Benchmark.Git(root, "status --porcelain -- services").Length > 0 ? " (modified)" : "")}",
                await ServiceProcess.PublishAsync(root, artifacts, "Standalone", skip)),
        };

        var results = new List<Run>();
        for (var run = 1; run <= runs; run++)
            foreach (var build in run % 2 == 1 ? builds : builds.Reverse())
            {
                Console.WriteLine($"\n=== run {run}/{runs}: {build.Name} ===");
                results.Add(await MeasureAsync(build, comments, idle, Path.Combine(artifacts, "logs")));
            }

        var report = Report(results, builds, args, comments, idle);
        Console.WriteLine();
        Console.WriteLine(report);
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, "standalone-results.md");
        await File.WriteAllTextAsync(file, report);
        Console.WriteLine($"Wrote {file}");
        return 0;
    }

    private static async Task<Run> MeasureAsync(Build build, int comments, double idleSeconds, string logs)
    {
        var data = Path.Combine(Path.GetTempPath(), $"moderation-standalone-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        var database = Path.Combine(data, "moderation.db");
        var env = new Dictionary<string, string>
        {
            ["DataDirectory"] = data,
            ["ConnectionStrings__sqlite"] = $"Data Source={database}",
            ["Seed__Sites__0__Id"] = Site,
            ["Seed__Sites__0__Name"] = "Benchmark Gazette",
            // One load generator posts everything from one address: the per-reader limit would refuse it.
            ["Seed__Sites__0__CommentsPerMinutePerIp"] = "10000000",
        };
        var started = Stopwatch.StartNew();
        var host = await ServiceProcess.StartAsync("standalone", build.Dll, Benchmark.FreePort(), env, logs);
        var ready = started.Elapsed.TotalSeconds;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            var idleMb = ProcessMemory.ResidentMb(host.Pid).Now;
            Console.WriteLine($"  ready in {ready:0.0} s; {idleMb:0} MB resident after {idleSeconds:0} s idle");

            var posting = Stopwatch.StartNew();
            await PostAsync(host.BaseAddress, comments);
            await WaitScoredAsync(database, comments);
            var rate = comments / posting.Elapsed.TotalSeconds;
            // The heap settles after the burst: read the resident size once the host is idle again.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var (afterMb, peakMb) = ProcessMemory.ResidentMb(host.Pid);
            Console.WriteLine($"  {comments:N0} comments accepted and scored at {rate:N0}/s; {afterMb:0} MB resident after, peak {peakMb:0} MB");
            return new Run(build.Name, ready, idleMb, afterMb, peakMb, rate);
        }
        finally
        {
            await host.StopAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Eight readers posting at once, each comment distinct (the copy rule would file repeats as spam).</summary>
    private static async Task PostAsync(Uri address, int comments)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var tag = $"standalone-{DateTime.UtcNow:HHmmssfff}";
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var n = Interlocked.Increment(ref next); n < comments; n = Interlocked.Increment(ref next))
            {
                using var response = await http.PostAsJsonAsync("/api/v1/comments", new
                {
                    siteId = Site,
                    threadId = $"{tag}-{n % 100}",
                    threadTitle = "A benchmark story",
                    authorName = $"Reader {n % 2000}",
                    authorEmail = $"reader{n % 2000}@example.org",
                    body = Benchmark.VariedBody(tag, n),
                });
                if (response.StatusCode != HttpStatusCode.Accepted)
                    throw new InvalidOperationException($"comment {n}: the host answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                if (n % 1000 == 999) Console.WriteLine($"  posted {n + 1:N0}");
            }
        }));
    }

    private static async Task WaitScoredAsync(string database, int comments)
    {
        await using var conn = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await conn.OpenAsync();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            await using var count = new SqliteCommand("SELECT count(*) FROM comments WHERE Status <> 'Pending'", conn);
            var scored = (long)(await count.ExecuteScalarAsync())!;
            if (scored >= comments) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {scored} of {comments} comments were scored within 5 minutes");
            await Task.Delay(250);
        }
    }

    private static string Report(List<Run> runs, Build[] builds, string[] args, int comments, double idle)
    {
        double M(string build, Func<Run, double> f) => Stats.Median(runs.Where(r => r.Build == build).Select(f));
        var (baseline, current) = (builds[0].Name, builds[1].Name);
        var sb = new StringBuilder();
        sb.AppendLine("# The standalone host's footprint").AppendLine();
        sb.AppendLine($"`dotnet run -c Release --project tests/Moderation.Benchmarks -- {string.Join(' ', args)}`").AppendLine();
        sb.AppendLine($"{Machine.Describe().Summary}; load average {Machine.LoadAverage()}. Each run: the published host with a fresh " +
            $"data directory (SQLite), ready = process start to `/health/ready`, idle = resident memory (VmRSS) {idle:0} s later, then " +
            $"{comments:N0} comments posted by 8 loops and scored, resident memory 5 s after the last was scored, and the resident " +
            $"peak (VmHWM). The builds alternate; medians of {runs.Count / 2} runs each.").AppendLine();
        sb.AppendLine("| build | ready s | resident idle MB | resident after MB | peak MB | comments/s accepted and scored |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var build in new[] { baseline, current })
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {build} | {M(build, r => r.ReadySeconds):0.0} | {M(build, r => r.IdleMb):0} | {M(build, r => r.AfterMb):0} | {M(build, r => r.PeakMb):0} | {M(build, r => r.CommentsPerSecond):N0} |"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| ratio | {M(current, r => r.ReadySeconds) / M(baseline, r => r.ReadySeconds):0.00} | {M(current, r => r.IdleMb) / M(baseline, r => r.IdleMb):0.00} | {M(current, r => r.AfterMb) / M(baseline, r => r.AfterMb):0.00} | {M(current, r => r.PeakMb) / M(baseline, r => r.PeakMb):0.00} | {M(current, r => r.CommentsPerSecond) / M(baseline, r => r.CommentsPerSecond):0.00} |"));
        sb.AppendLine();
        sb.AppendLine("| run | build | ready s | idle MB | after MB | peak MB | comments/s |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|");
        for (var i = 0; i < runs.Count; i++)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i / 2 + 1} | {runs[i].Build} | {runs[i].ReadySeconds:0.0} | {runs[i].IdleMb:0} | {runs[i].AfterMb:0} | {runs[i].PeakMb:0} | {runs[i].CommentsPerSecond:N0} |"));
        return sb.ToString();
    }

    /// <summary>A detached worktree of <paramref name="sha"/> beside the temporary files, made once and kept for later runs.</summary>
    private static async Task<string> WorktreeAsync(string root, string sha)
    {
        var path = Path.Combine(Path.GetTempPath(), $"moderation-baseline-{sha}");
        if (Directory.Exists(Path.Combine(path, "services"))) return path;
        Console.WriteLine($"  git worktree add --detach {path} {sha}");
        using var git = Process.Start(new ProcessStartInfo("git", ["worktree", "add", "--detach", path, sha]) { WorkingDirectory = root })!;
        await git.WaitForExitAsync();
        return git.ExitCode == 0 ? path : throw new InvalidOperationException($"git worktree add {sha} failed");
    }
}
