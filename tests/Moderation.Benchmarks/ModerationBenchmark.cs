using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using static Moderation.Benchmarks.CommandLine;

namespace Moderation.Benchmarks;

/// <summary>
/// The moderation API against a PostgreSQL database of 100,000 comments: queue page latency (p50/p99) for the
/// filter and sort combinations moderators use, the counts, and bulk decision throughput. Runs the published
/// Moderation.ModerationApi as a real process on its own database (<c>moderation_bench_mod</c>) and virtual host.
/// <c>dotnet run -c Release --project tests/Moderation.Benchmarks -- moderation [--comments N] [--requests N] [--skip-build] [--out DIR]</c>
/// </summary>
public static class ModerationBenchmark
{
    private const string Site = "bench";
    private const string OtherSite = "bench-other";
    private const int Threads = 500;
    private static readonly string[] ReasonTexts =
        ["first comment from this address", "3 links (the site allows 2)", "contains held word 'casino'", "heuristic score 0.71", "6 comments from this IP in 10 minutes"];

    public static async Task<int> RunAsync(string[] args)
    {
        var comments = (int)Number(args, "--comments", 100_000);
        var requests = (int)Number(args, "--requests", 300);
        var root = Benchmark.FindRoot();
        var artifacts = Path.Combine(root, "artifacts", "bench");
        var outDir = Option(args, "--out") ?? artifacts;
        var results = new StringBuilder();
        void Report(string line) { Console.WriteLine(line); results.AppendLine(line); }

        var dll = await ServiceProcess.PublishAsync(root, artifacts, "ModerationApi", skip: args.Contains("--skip-build"));
        var db = new BenchDatabase(Benchmark.Env("ConnectionStrings__postgres", "Host=127.0.0.1;Port=5432;Username=moderation;Password=moderation;Database=moderation"), "moderation_bench_mod");
        await db.RecreateAsync();
        await using var broker = new BenchBroker(new Uri(Benchmark.Env("ConnectionStrings__rabbitmq", "amqp://guest:guest@127.0.0.1:5672/")),
            new Uri(Benchmark.Env("MODERATION_RABBITMQ_MANAGEMENT", "http://guest:guest@127.0.0.1:15672")), "moderation-bench-mod");
        await broker.RecreateAsync();
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var api = await ServiceProcess.StartAsync("moderation-api", dll, Benchmark.FreePort(), new Dictionary<string, string>
        {
            ["ConnectionStrings__postgres"] = db.ConnectionString,
            ["ConnectionStrings__rabbitmq"] = broker.AmqpUri.ToString(),
            ["Auth__BootstrapAdminKey"] = key,
            ["Seed__Sites__0__Id"] = Site,
            ["Seed__Sites__0__Name"] = "Benchmark Gazette",
            ["Seed__Sites__1__Id"] = OtherSite,
            ["Seed__Sites__1__Name"] = "Benchmark Other",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__Microsoft.EntityFrameworkCore.Database.Command"] = Benchmark.Env("MODERATION_BENCH_SQL_LOG", "Warning"),
        }, Path.Combine(artifacts, "logs"));
        try
        {
            var seed = Stopwatch.StartNew();
            await SeedAsync(db.ConnectionString, comments);
            Report($"# Moderation API benchmark{Environment.NewLine}");
            Report($"{comments:N0} comments seeded by binary COPY in {seed.Elapsed.TotalSeconds:0.0} s; {Machine.Describe().Summary}; load average {Machine.LoadAverage()}");
            Report("");
            using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);

            Report($"## Queue page latency ({requests} sequential requests each, first pages and cursor pages, limit 50){Environment.NewLine}");
            Report("| queue request | p50 ms | p99 ms | max ms |");
            Report("|---|---:|---:|---:|");
            string[] listings =
            [
                $"queues/held?siteId={Site}",
                $"queues/held?siteId={Site}&sort=score",
                $"queues/held?siteId={Site}&sort=oldest&minScore=0.6&maxScore=0.8",
                $"queues/held?siteId={Site}&reason=link",
                $"queues/held?siteId={Site}&threadId=news/t7",
                "queues/spam?sort=scoreAsc",
                $"queues/reported?siteId={Site}",
                $"queues/approved?siteId={Site}",
            ];
            foreach (var listing in listings)
            {
                var (p50, p99, max) = await LatencyAsync(http, "/api/v1/moderation/" + listing, requests, followCursor: true);
                Report($"| `{listing}` | {p50:0.0} | {p99:0.0} | {max:0.0} |");
            }
            var counts = await LatencyAsync(http, $"/api/v1/moderation/counts?siteId={Site}", requests, followCursor: false);
            Report($"| `counts?siteId={Site}` | {counts.P50:0.0} | {counts.P99:0.0} | {counts.Max:0.0} |");
            Report("");

            Report($"## Bulk decisions{Environment.NewLine}");
            Report("| decision | items | seconds | items/s |");
            Report("|---|---:|---:|---:|");
            var held = await HeldIdsAsync(db.ConnectionString, OtherSite, 5_020);
            // Warm up both paths first (JIT, the event exchanges declared on first publish), outside the timing.
            await PostAsync(http, "/api/v1/moderation/decisions", new { decision = "approve", ids = held.Take(10) });
            await PostAsync(http, "/api/v1/moderation/decisions", new { decision = "spam", ids = held.Skip(10).Take(10) });
            var byIds = Stopwatch.StartNew();
            var applied = 0;
            foreach (var batch in held.Skip(20).Chunk(1000))
                applied += (int)(await PostAsync(http, "/api/v1/moderation/decisions", new { decision = "approve", ids = batch }))["applied"]!;
            byIds.Stop();
            Report($"| approve by ids, requests of 1000 | {applied} | {byIds.Elapsed.TotalSeconds:0.00} | {applied / byIds.Elapsed.TotalSeconds:0} |");
            var byFilter = Stopwatch.StartNew();
            var filtered = (int)(await PostAsync(http, "/api/v1/moderation/decisions/by-filter",
                new { decision = "spam", queue = "held", siteId = Site, max = 5000 }))["applied"]!;
            byFilter.Stop();
            Report($"| spam (with labels) by filter, one request | {filtered} | {byFilter.Elapsed.TotalSeconds:0.00} | {filtered / byFilter.Elapsed.TotalSeconds:0} |");
            Report("");

            Report($"## Query plans (EXPLAIN ANALYZE of the SQL the API sends, first page){Environment.NewLine}");
            foreach (var (name, sql) in PlanQueries())
                Report($"- {name}: {await PlanSummaryAsync(db.ConnectionString, sql)}");

            Directory.CreateDirectory(outDir);
            var file = Path.Combine(outDir, "moderation-results.md");
            await File.WriteAllTextAsync(file, results.ToString());
            Console.WriteLine($"Wrote {file}");
            return 0;
        }
        finally
        {
            await api.StopAsync();
        }
    }

    /// <summary>
    /// Comments as the scorer leaves them: 2 sites, 500 threads, 30 days; 20 % held, 10 % spam, 65 % approved
    /// (a quarter of those in the last day), 5 % rejected; 3 % of the approved reported. Binary COPY, then ANALYZE.
    /// </summary>
    private static async Task SeedAsync(string connectionString, int count)
    {
        var random = new Random(42);
        var now = DateTime.UtcNow;
        var emailHash = Convert.ToHexStringLower(SHA256.HashData("bench@example.org"u8));
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using (var writer = await conn.BeginBinaryImportAsync(
            "COPY comments (\"Id\", \"SiteId\", \"ThreadId\", \"ThreadTitle\", \"AuthorName\", \"AuthorEmail\", \"EmailHash\", \"Body\", \"ClientIp\", " +
            "\"HoneypotFilled\", \"SubmittedAt\", \"ScoredAt\", \"PublishedAt\", \"Status\", \"SpamScore\", \"ModelVersion\", \"Reasons\", " +
            "\"ReportCount\", \"LastReportedAt\", \"Revision\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var roll = random.NextDouble();
                var status = roll < 0.2 ? "Held" : roll < 0.3 ? "Spam" : roll < 0.95 ? "Approved" : "Rejected";
                var recent = status == "Approved" && random.NextDouble() < 0.25;
                var submitted = now - (recent ? TimeSpan.FromHours(random.NextDouble() * 23) : TimeSpan.FromDays(1 + random.NextDouble() * 29));
                var score = status switch { "Held" => 0.5 + random.NextDouble() * 0.4, "Spam" => 0.9 + random.NextDouble() * 0.1, _ => random.NextDouble() * 0.5 };
                var reported = status == "Approved" && random.NextDouble() < 0.03;
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.CreateVersion7(submitted), NpgsqlDbType.Uuid);
                await writer.WriteAsync(i % 4 == 0 ? OtherSite : Site, NpgsqlDbType.Varchar);
                await writer.WriteAsync($"news/t{random.Next(Threads)}", NpgsqlDbType.Varchar);
                await writer.WriteAsync("A benchmark story", NpgsqlDbType.Varchar);
                await writer.WriteAsync("Bench Reader", NpgsqlDbType.Varchar);
                await writer.WriteAsync("bench@example.org", NpgsqlDbType.Varchar);
                await writer.WriteAsync(emailHash, NpgsqlDbType.Varchar);
                await writer.WriteAsync($"Benchmark comment number {i} about the council budget and the river path.", NpgsqlDbType.Varchar);
                await writer.WriteAsync($"10.{i % 200}.{i / 200 % 250}.1", NpgsqlDbType.Varchar);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(submitted, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(submitted.AddSeconds(1), NpgsqlDbType.TimestampTz);
                if (status == "Approved") await writer.WriteAsync(submitted.AddSeconds(1), NpgsqlDbType.TimestampTz); else await writer.WriteNullAsync();
                await writer.WriteAsync(status, NpgsqlDbType.Varchar);
                await writer.WriteAsync(score, NpgsqlDbType.Double);
                await writer.WriteAsync("heuristic-1", NpgsqlDbType.Varchar);
                await writer.WriteAsync(new[] { ReasonTexts[0], ReasonTexts[random.Next(1, ReasonTexts.Length)] }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(reported ? random.Next(1, 3) : 0, NpgsqlDbType.Integer);
                if (reported) await writer.WriteAsync(now.AddMinutes(-random.Next(600)), NpgsqlDbType.TimestampTz); else await writer.WriteNullAsync();
                await writer.WriteAsync(0, NpgsqlDbType.Integer);
            }
            await writer.CompleteAsync();
        }
        // As autovacuum would soon after: statistics for the planner, and a visibility map for index-only counts.
        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE comments", conn);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>Closed loop, one request at a time: walks up to 10 pages by cursor, then starts again from the first.</summary>
    private static async Task<(double P50, double P99, double Max)> LatencyAsync(HttpClient http, string url, int requests, bool followCursor)
    {
        var times = new List<double>(requests);
        string? cursor = null;
        var page = 0;
        for (var i = 0; i < requests + 20; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(cursor is null ? url : $"{url}&cursor={Uri.EscapeDataString(cursor)}");
            var body = await response.Content.ReadAsStringAsync();
            watch.Stop();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body}");
            if (i >= 20) times.Add(watch.Elapsed.TotalMilliseconds); // the first 20 warm up (JIT, connection pool, plans)
            cursor = followCursor && ++page < 10 ? (string?)JsonNode.Parse(body)!["nextCursor"] : null;
            if (cursor is null) page = 0;
        }
        times.Sort();
        return (Percentile(times, 0.50), Percentile(times, 0.99), times[^1]);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<JsonObject> PostAsync(HttpClient http, string url, object body)
    {
        using var response = await http.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)!.AsObject() : throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {text}");
    }

    private static async Task<List<Guid>> HeldIdsAsync(string connectionString, string site, int max)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT \"Id\" FROM comments WHERE \"SiteId\" = '{site}' AND \"Status\" = 'Held' LIMIT {max}", conn);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>The shapes EF Core sends for the listings (from the API's SQL log), with literal values.</summary>
    private static IEnumerable<(string Name, string Sql)> PlanQueries()
    {
        const string columns = "SELECT c.\"Id\", c.\"SiteId\", c.\"Body\", c.\"Reasons\" FROM comments AS c";
        var cursorTime = DateTime.UtcNow.AddDays(-10).ToString("O", CultureInfo.InvariantCulture);
        yield return ("held, newest", $"{columns} WHERE c.\"Status\" = 'Held' AND c.\"SiteId\" = '{Site}' ORDER BY c.\"SubmittedAt\" DESC, c.\"Id\" DESC LIMIT 51");
        yield return ("held, newest, after a cursor", $"{columns} WHERE c.\"Status\" = 'Held' AND c.\"SiteId\" = '{Site}' AND c.\"SubmittedAt\" <= '{cursorTime}' " +
            $"AND (c.\"SubmittedAt\" < '{cursorTime}' OR c.\"Id\" < '00000000-0000-0000-0000-000000000000') ORDER BY c.\"SubmittedAt\" DESC, c.\"Id\" DESC LIMIT 51");
        yield return ("held, by score", $"{columns} WHERE c.\"Status\" = 'Held' AND c.\"SiteId\" = '{Site}' AND c.\"SpamScore\" IS NOT NULL ORDER BY c.\"SpamScore\" DESC, c.\"Id\" DESC LIMIT 51");
        yield return ("held, one thread", $"{columns} WHERE c.\"Status\" = 'Held' AND c.\"SiteId\" = '{Site}' AND c.\"ThreadId\" = 'news/t7' ORDER BY c.\"SubmittedAt\" DESC, c.\"Id\" DESC LIMIT 51");
        yield return ("reported", $"{columns} WHERE c.\"ReportCount\" > 0 AND c.\"Status\" IN ('Approved', 'Held') AND c.\"SiteId\" = '{Site}' ORDER BY c.\"SubmittedAt\" DESC, c.\"Id\" DESC LIMIT 51");
        yield return ("count held", $"SELECT count(*) FROM comments AS c WHERE c.\"Status\" = 'Held' AND c.\"SiteId\" = '{Site}'");
    }

    /// <summary>The plan's nodes, one line, with its execution time: enough to see an index scan (or a sequential one).</summary>
    private static async Task<string> PlanSummaryAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF) " + sql, conn);
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        var nodes = lines.Where(l => l.Contains("Scan") || l.Contains("Sort") || l.Contains("Limit") || l.Contains("Aggregate"))
            .Select(l => l.Trim().TrimStart('-', '>', ' ')).Select(l => l[..(l.IndexOf("(actual", StringComparison.Ordinal) is var at and > 0 ? at : l.Length)].Trim());
        return string.Join(" → ", nodes) + "; " + lines.LastOrDefault(l => l.StartsWith("Execution Time", StringComparison.Ordinal));
    }
}
