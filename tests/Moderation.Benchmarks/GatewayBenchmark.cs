using System.Globalization;
using System.Net;
using System.Text;
using Npgsql;
using static Moderation.Benchmarks.CommandLine;

namespace Moderation.Benchmarks;

/// <summary>
/// What the gateway costs a reader: the same cached GET of a 50-comment thread, straight from the read API and through
/// the gateway, closed-loop, in alternating rounds; medians of p50, throughput and each process's CPU per request.
/// Runs the published read API and gateway as real processes (database <c>moderation_bench_gw</c>, its own virtual host).
/// <c>dotnet run -c Release --project tests/Moderation.Benchmarks -- gateway [--runs N] [--seconds S] [--warmup S]
/// [--concurrency N] [--h2c] [--nginx] [--gateway-set KEY=VALUE]… [--gateway-env NAME=VALUE]… [--skip-build] [--out DIR]</c>
/// </summary>
public static class GatewayBenchmark
{
    private const string Site = "bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = (int)Number(args, "--runs", 5);
        var seconds = Number(args, "--seconds", 10);
        var warmup = Number(args, "--warmup", 2);
        var concurrency = (int)Number(args, "--concurrency", 64);
        var h2c = args.Contains("--h2c");
        var nginx = args.Contains("--nginx");
        var gatewaySettings = Pairs(args, "--gateway-set");
        var gatewayEnv = Pairs(args, "--gateway-env");
        var root = Benchmark.FindRoot();
        var artifacts = Path.Combine(root, "artifacts", "bench");
        var outDir = Path.Combine(root, Option(args, "--out") ?? "benchmarks");
        var logs = Path.Combine(artifacts, "logs");
        var skip = args.Contains("--skip-build");
        var readDll = await ServiceProcess.PublishAsync(root, artifacts, "ReadApi", skip);
        var gatewayDll = await ServiceProcess.PublishAsync(root, artifacts, "Gateway", skip);

        var db = new BenchDatabase(Benchmark.Env("ConnectionStrings__postgres", "Host=127.0.0.1;Port=5432;Username=moderation;Password=moderation;Database=moderation"), "moderation_bench_gw");
        await db.RecreateAsync();
        await using var broker = new BenchBroker(new Uri(Benchmark.Env("ConnectionStrings__rabbitmq", "amqp://guest:guest@127.0.0.1:5672/")),
            new Uri(Benchmark.Env("MODERATION_RABBITMQ_MANAGEMENT", "http://guest:guest@127.0.0.1:15672")), "moderation-bench-gw");
        await broker.RecreateAsync();

        var readPort = Benchmark.FreePort();
        var h2cPort = Benchmark.FreePort();
        var readEnv = new Dictionary<string, string>
        {
            ["ConnectionStrings__postgres"] = db.ConnectionString,
            ["ConnectionStrings__rabbitmq"] = broker.AmqpUri.ToString(),
            ["ConnectionStrings__redis"] = BenchRedis.ConnectionString(Benchmark.Env("ConnectionStrings__redis", "127.0.0.1:6379")),
            ["Seed__Sites__0__Id"] = Site,
            ["Seed__Sites__0__Name"] = "Benchmark Gazette",
            ["TrustedProxies__0"] = "127.0.0.1",
        };
        if (h2c)
        {
            // A second listener speaking HTTP/2 without TLS (prior knowledge), for the gateway alone.
            readEnv["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{readPort}";
            readEnv["Kestrel__Endpoints__h2c__Url"] = $"http://127.0.0.1:{h2cPort}";
            readEnv["Kestrel__Endpoints__h2c__Protocols"] = "Http2";
        }
        var read = await ServiceProcess.StartAsync("read-api", readDll, readPort, readEnv, logs);
        ServiceProcess? gateway = null;
        try
        {
            var thread = $"gateway/{DateTime.UtcNow:MMddHHmmss}";
            await SeedAsync(db.ConnectionString, thread);
            // Settings as arguments, not environment variables: the shell that starts a service drops names with a hyphen.
            var settings = new Dictionary<string, string>
            {
                ["ReverseProxy:Clusters:readApi:Destinations:1:Address"] = $"http://127.0.0.1:{(h2c ? h2cPort : readPort)}/",
            };
            if (h2c)
            {
                settings["ReverseProxy:Clusters:readApi:HttpRequest:Version"] = "2";
                settings["ReverseProxy:Clusters:readApi:HttpRequest:VersionPolicy"] = "RequestVersionExact";
            }
            // Only reads are measured: the other services are not started, so the gateway is waited for by its liveness.
            foreach (var cluster in new[] { "ingestion", "scoring", "moderationApi" })
                settings[$"ReverseProxy:Clusters:{cluster}:Destinations:1:Address"] = $"http://127.0.0.1:{Benchmark.FreePort()}/";
            foreach (var (k, v) in gatewaySettings) settings[k.Replace("__", ":", StringComparison.Ordinal)] = v;
            gateway = nginx
                ? await StartNginxAsync(Path.Combine(artifacts, "nginx"), readPort, logs)
                : await ServiceProcess.StartAsync("gateway", gatewayDll, Benchmark.FreePort(), gatewayEnv, logs,
                    [.. settings.Select(kv => $"--{kv.Key}={kv.Value}")], readyPath: "/health/live");

            var path = $"/api/v1/comments?siteId={Site}&threadId={Uri.EscapeDataString(thread)}&limit=50";
            using var direct = Client(read.BaseAddress, concurrency);
            using var proxied = Client(gateway.BaseAddress, concurrency);
            var fromRead = await direct.GetByteArrayAsync(path);
            var fromGateway = await proxied.GetByteArrayAsync(path);
            if (!fromGateway.SequenceEqual(fromRead)) throw new InvalidOperationException("the gateway answered other bytes than the read API");
            var bytes = fromRead.Length;

            // Unmeasured, until both processes run their hot paths fully compiled (tiered JIT): otherwise the first
            // round measures the compiler.
            Console.WriteLine("\n=== warm-up ===");
            await MeasureAsync("warm-up direct", direct, path, concurrency, 0, Math.Max(warmup, 5), read);
            await MeasureAsync("warm-up gateway", proxied, path, concurrency, 0, Math.Max(warmup, 5), gateway);

            var rounds = new List<(LoadResult Direct, LoadResult Proxied, double ReadCpuProxied)>();
            for (var run = 1; run <= runs; run++)
            {
                Console.WriteLine($"\n=== round {run}/{runs} ===");
                // Alternating which goes first, so that a drift of the machine's load falls on both.
                LoadResult d, p;
                double readCpu;
                if (run % 2 == 1)
                {
                    d = await MeasureAsync("direct", direct, path, concurrency, warmup, seconds, read);
                    (p, readCpu) = await MeasureBothAsync(proxied, path, concurrency, warmup, seconds, gateway, read);
                }
                else
                {
                    (p, readCpu) = await MeasureBothAsync(proxied, path, concurrency, warmup, seconds, gateway, read);
                    d = await MeasureAsync("direct", direct, path, concurrency, warmup, seconds, read);
                }
                rounds.Add((d, p, readCpu));
            }

            var report = Report(rounds, args, bytes, concurrency, seconds, h2c, nginx, gatewaySettings, gatewayEnv);
            Console.WriteLine();
            Console.WriteLine(report);
            Directory.CreateDirectory(outDir);
            var file = Path.Combine(outDir, nginx ? "gateway-results-nginx.md" : "gateway-results.md");
            await File.WriteAllTextAsync(file, report);
            Console.WriteLine($"Wrote {file}");
            return 0;
        }
        finally
        {
            if (gateway is not null) await gateway.StopAsync();
            await read.StopAsync();
        }
    }

    private static Task<LoadResult> MeasureAsync(string name, HttpClient client, string path, int concurrency, double warmup, double seconds,
        ServiceProcess server) =>
        ClosedLoop.RunAsync(name, concurrency, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds), async _ =>
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK || body.Length < 1000)
                throw new InvalidOperationException($"GET answered {(int)response.StatusCode} with {body.Length} bytes");
        }, () => ProcessCpu.Seconds(server.Pid));

    /// <summary>Through the gateway: the gateway's CPU per request from the loop, the read API's measured over the same window.</summary>
    private static async Task<(LoadResult Result, double ReadCpuMs)> MeasureBothAsync(HttpClient client, string path, int concurrency,
        double warmup, double seconds, ServiceProcess gateway, ServiceProcess read)
    {
        var readCpu = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(warmup));
            var before = ProcessCpu.Seconds(read.Pid);
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            return ProcessCpu.Seconds(read.Pid) - before;
        });
        var result = await MeasureAsync("gateway", client, path, concurrency, warmup, seconds, gateway);
        return (result, await readCpu * 1000 / Math.Max(1, result.Ok));
    }

    private static string Report(List<(LoadResult Direct, LoadResult Proxied, double ReadCpuProxied)> rounds, string[] args, int bytes,
        int concurrency, double seconds, bool h2c, bool nginx, Dictionary<string, string> gatewaySettings, Dictionary<string, string> gatewayEnv)
    {
        double M(Func<(LoadResult Direct, LoadResult Proxied, double ReadCpuProxied), double> f) => Stats.Median(rounds.Select(f));
        var p50Ratio = M(r => r.Proxied.P50Ms / r.Direct.P50Ms);
        var rateRatio = M(r => r.Proxied.PerSecond / r.Direct.PerSecond);
        var sb = new StringBuilder();
        sb.AppendLine("# Gateway overhead on a cached thread read").AppendLine();
        sb.AppendLine($"`dotnet run -c Release --project tests/Moderation.Benchmarks -- {string.Join(' ', args)}`").AppendLine();
        sb.AppendLine($"{Machine.Describe().Summary}; load average {Machine.LoadAverage()}. {rounds.Count} rounds of {seconds:0.#} s per side, " +
            $"{concurrency} closed loops, GET of a 50-comment thread ({bytes:N0} bytes) served from the read API's cache; {(nginx ? "nginx " : "gateway ")}to read API over " +
            $"{(h2c ? "HTTP/2 cleartext" : "HTTP/1.1")}{(gatewaySettings.Count + gatewayEnv.Count > 0 ? "; gateway settings " + string.Join(", ", gatewaySettings.Concat(gatewayEnv).Select(kv => $"`{kv.Key}={kv.Value}`")) : "")}. " +
            "The load generator runs on the same machine. Medians over the rounds.").AppendLine();
        sb.AppendLine("| | requests/s | p50 ms | p99 ms | gateway CPU ms/request | read API CPU ms/request | machine busy cores |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| direct to the read API | {M(r => r.Direct.PerSecond):N0} | {M(r => r.Direct.P50Ms):0.00} | {M(r => r.Direct.P99Ms):0.00} | – | {M(r => r.Direct.CpuMsPerOp):0.000} | {M(r => r.Direct.MachineBusyCores):0.00} |"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| through the gateway | {M(r => r.Proxied.PerSecond):N0} | {M(r => r.Proxied.P50Ms):0.00} | {M(r => r.Proxied.P99Ms):0.00} | {M(r => r.Proxied.CpuMsPerOp):0.000} | {M(r => r.ReadCpuProxied):0.000} | {M(r => r.Proxied.MachineBusyCores):0.00} |"));
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- p50 ratio (gateway / direct): **{p50Ratio:0.00}** (goal ≤ 1.15: {(p50Ratio <= 1.15 ? "met" : "not met")})"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- throughput ratio: **{rateRatio:0.00}** (goal ≥ 0.8: {(rateRatio >= 0.8 ? "met" : "not met")})"));
        sb.AppendLine();
        sb.AppendLine("| round | direct req/s | gateway req/s | direct p50 | gateway p50 |");
        sb.AppendLine("|---:|---:|---:|---:|---:|");
        for (var i = 0; i < rounds.Count; i++)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i + 1} | {rounds[i].Direct.PerSecond:N0} | {rounds[i].Proxied.PerSecond:N0} | {rounds[i].Direct.P50Ms:0.00} | {rounds[i].Proxied.P50Ms:0.00} |"));
        return sb.ToString();
    }

    /// <summary>50 approved comments in one thread, as the scorer leaves them; the read API caches the thread on its first read.</summary>
    private static async Task SeedAsync(string connectionString, string thread)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO comments ("Id", "SiteId", "ThreadId", "ThreadTitle", "AuthorName", "AuthorEmail", "EmailHash", "Body", "ClientIp",
              "HoneypotFilled", "SubmittedAt", "ScoredAt", "PublishedAt", "Status", "SpamScore", "ModelVersion", "Reasons", "ReportCount", "Revision")
            SELECT gen_random_uuid(), @site, @thread, 'A benchmark story', 'Reader ' || i, 'reader' || i || '@example.org', md5(i::text),
              'Comment ' || i || ': the council budget leaves the river path without lighting for another winter, and the ferry timetable still shows the old hours.',
              '10.0.0.' || i, false, now() - (50 - i) * interval '1 minute', now() - (50 - i) * interval '1 minute',
              now() - (50 - i) * interval '1 minute', 'Approved', 0.1, 'bench', ARRAY['bench'], 0, 0
            FROM generate_series(1, 50) AS i
            """, conn);
        insert.Parameters.AddWithValue("site", Site);
        insert.Parameters.AddWithValue("thread", thread);
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// nginx as the one address instead of the gateway, for comparison: one single-process worker (its CPU is all of
    /// it), keep-alive connections to the read API, the client's address forwarded, no access log.
    /// </summary>
    private static Task<ServiceProcess> StartNginxAsync(string dir, int readPort, string logs)
    {
        Directory.CreateDirectory(dir);
        var port = Benchmark.FreePort();
        var conf = Path.Combine(dir, "nginx.conf");
        File.WriteAllText(conf, $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{dir}}/body;
              proxy_temp_path {{dir}}/proxy;
              upstream read_api { server 127.0.0.1:{{readPort}}; keepalive 128; }
              server {
                listen 127.0.0.1:{{port}};
                location = /ready { return 204; }
                location / {
                  proxy_pass http://read_api;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
                }
              }
            }
            """);
        return ServiceProcess.StartProgramAsync("nginx", "nginx", ["-p", dir, "-c", conf], dir, port, new Dictionary<string, string>(), logs, "/ready");
    }

    private static HttpClient Client(Uri address, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
}
