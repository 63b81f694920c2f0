using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Moderation.Benchmarks;

/// <summary>
/// Runs ingestion, the scoring worker and the read API as real processes (distributed mode, on the real
/// RabbitMQ, PostgreSQL and Redis, in a database and virtual host of the benchmark's own) and measures them
/// against baselines taken in the same run.
/// </summary>
public sealed class Benchmark(BenchOptions options, string[] args) : IAsyncDisposable
{
    public const string SiteId = "bench";
    private const string ScoringQueue = "score-comments";
    private const string RawQueue = "bench-raw-publish";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly string _root = FindRoot();
    private readonly string _tag = $"b{DateTime.UtcNow:MMddHHmmss}";
    private readonly BenchResults _results = new();
    private readonly List<ServiceProcess> _running = [];
    private string Artifacts => Path.Combine(_root, "artifacts", "bench");
    private TimeSpan Warmup => TimeSpan.FromSeconds(options.WarmupSeconds);
    private TimeSpan Measure => TimeSpan.FromSeconds(options.Seconds);

    private BenchDatabase _db = null!;
    private BenchBroker _broker = null!;
    private RssSampler _rss = null!;
    private ServiceProcess _bare = null!, _ingestion = null!, _read = null!, _readRedisOnly = null!, _readNoCache = null!;
    private ServiceProcess? _scoring;
    private Dictionary<string, string> _commonEnv = null!;
    private string _redis = null!;
    private int _sequence;
    private byte[] _brokerPayload = [];

    public async Task<int> RunAsync()
    {
        var started = Stopwatch.StartNew();
        _results.Started = DateTimeOffset.Now;
        _results.Command = "dotnet run -c Release --project tests/Moderation.Benchmarks --" + (args.Length > 0 ? " " + string.Join(' ', args) : "");
        _results.Machine = Machine.Describe();
        _results.Commit = Git(_root, "rev-parse --short HEAD") + (Git(_root, "status --porcelain -- services contracts").Length > 0 ? " (services modified)" : "");
        _results.Options = options;
        Console.WriteLine($"Moderation benchmarks {(options.Quick ? "(quick) " : "")}- {_results.Machine.Summary}");
        Console.WriteLine($"  {options.Runs} run(s) per phase, {options.Concurrency} loops, {options.Seconds} s per measurement; load average {_results.Machine.LoadAverageAtStart}");

        Phase("build");
        var dlls = await BuildAsync();

        Phase("setup");
        await SetUpAsync(dlls);
        await SeedAsync();

        for (var run = 1; run <= options.Runs && options.Has("ingest"); run++) await IngestionPhaseAsync(run);
        for (var run = 1; run <= options.Runs && options.Has("read"); run++) await ReadPhaseAsync(run);
        await StartWorkerAsync(dlls);
        for (var run = 1; run <= options.Runs && options.Has("drain"); run++) await DrainPhaseAsync(run, dlls);
        await StartWorkerAsync(dlls);
        for (var run = 1; run <= options.Runs && options.Has("sustain"); run++) await SustainedPhaseAsync(run);
        for (var run = 1; run <= options.Runs && options.Has("e2e"); run++) await EndToEndPhaseAsync(run);

        Phase("report");
        _results.RssPeakMb = _rss.PeakMb();
        _results.RssPeakMbByPhase = _rss.PeakMbByPhase();
        _results.Machine.LoadAverageAtEnd = Machine.LoadAverage();
        _results.TotalSeconds = started.Elapsed.TotalSeconds;
        var outDir = options.OutDir ?? (options.Quick ? Artifacts : Path.Combine(_root, "benchmarks"));
        var (md, json) = _results.Write(outDir);
        Console.WriteLine();
        Console.WriteLine(File.ReadAllText(md));
        Console.WriteLine($"Wrote {Path.GetRelativePath(_root, md)} and {Path.GetRelativePath(_root, json)} in {started.Elapsed.TotalMinutes:0.0} min.");
        return 0;
    }

    private void Phase(string name)
    {
        if (_rss is not null) _rss.Phase = name;
        Console.WriteLine();
        Console.WriteLine($"=== {name} ===");
    }

    // ---------------------------------------------------------------------------------------------- setup

    private async Task<Dictionary<string, string>> BuildAsync()
    {
        var dlls = new Dictionary<string, string>();
        foreach (var service in new[] { "Ingestion", "Scoring", "ReadApi" })
        {
            var project = Path.Combine(_root, "services", $"Moderation.{service}", $"Moderation.{service}.csproj");
            var output = Path.Combine(Artifacts, "publish", service);
            dlls[service] = Path.Combine(output, $"Moderation.{service}.dll");
            if (options.SkipBuild && File.Exists(dlls[service])) continue;
            Console.WriteLine($"  dotnet publish {Path.GetRelativePath(_root, project)} -c Release");
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "quiet" }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"publishing {service} failed:\n{await stdout}\n{await stderr}");
        }
        return dlls;
    }

    private async Task SetUpAsync(Dictionary<string, string> dlls)
    {
        var postgres = Env("ConnectionStrings__postgres", "Host=127.0.0.1;Port=5432;Username=moderation;Password=moderation;Database=moderation");
        var redis = Env("ConnectionStrings__redis", "127.0.0.1:6379");
        var amqp = new Uri(Env("ConnectionStrings__rabbitmq", "amqp://guest:guest@127.0.0.1:5672/"));
        var management = new Uri(Env("MODERATION_RABBITMQ_MANAGEMENT", "http://guest:guest@127.0.0.1:15672"));

        _db = new BenchDatabase(postgres, options.Named("moderation_bench", '_'));
        await _db.RecreateAsync();
        _broker = new BenchBroker(amqp, management, options.Named("moderation-bench", '-'));
        await _broker.RecreateAsync();
        _redis = BenchRedis.ConnectionString(redis);
        Console.WriteLine($"  database {_db.Name} (fresh), RabbitMQ virtual host {_broker.VirtualHost} (fresh), Redis database {BenchRedis.Database}");
        _rss = new RssSampler { Phase = "setup" };

        _commonEnv = new Dictionary<string, string>
        {
            ["ConnectionStrings__postgres"] = _db.ConnectionString,
            ["ConnectionStrings__rabbitmq"] = _broker.AmqpUri.ToString(),
            ["Seed__Sites__0__Id"] = SiteId,
            ["Seed__Sites__0__Name"] = "Benchmark Gazette",
            ["Seed__Sites__0__CommentsPerMinutePerIp"] = "10000000",
            // The read phase's thread needs all 50 seeded comments published; the default holds the model's uncertain ones.
            ["Seed__Sites__0__ApproveBelow"] = "0.5",
            ["Seed__Sites__0__AllowedOrigins__0"] = "https://bench.example",
            // The load generator says which reader sent each comment (X-Forwarded-For, as a reverse proxy would), so the flood
            // rule counts 2,000 readers; but each of them posts dozens to hundreds a minute in the worker phases, which the
            // rule would hold. Its highest limit in its shortest window: every comment is published, as most of a news site's are.
            // (Before the readers had addresses of their own, every comment after the first 10,000 of a minute was held.)
            ["TrustedProxies__0"] = "127.0.0.1",
            ["Rules__FloodMaxComments"] = "10000",
            ["Rules__FloodWindowMinutes"] = "1",
        };
        foreach (var (k, v) in options.ServiceEnv) _commonEnv[k] = v;
        var logs = Path.Combine(Artifacts, "logs");
        if (Directory.Exists(logs)) Directory.Delete(logs, recursive: true);

        var barePort = FreePort();
        _bare = await StartAsync(await ServiceProcess.StartAsync("bare", typeof(Benchmark).Assembly.Location, barePort,
            new Dictionary<string, string>(), logs, ["--bare-server", barePort.ToString(System.Globalization.CultureInfo.InvariantCulture)]), watch: false);
        // The ingestion service migrates the database; the others start after it so they never race.
        _ingestion = await StartAsync(await ServiceProcess.StartAsync("ingestion", dlls["Ingestion"], FreePort(),
            With(new() { ["Ingestion__StatusTokenSecret"] = "benchmark-status-token-secret-0123456789" }), logs));
        _read = await StartAsync(await ServiceProcess.StartAsync("read-api", dlls["ReadApi"], FreePort(),
            With(new() { ["ConnectionStrings__redis"] = _redis }), logs));
        // Every read a Redis round trip: the local cache in front of it off. Own virtual host, as below.
        _readRedisOnly = await StartAsync(await ServiceProcess.StartAsync("read-api-redis-only", dlls["ReadApi"], FreePort(),
            With(new()
            {
                ["ConnectionStrings__redis"] = _redis,
                ["ReadCache__LocalMilliseconds"] = "0",
                ["ConnectionStrings__rabbitmq"] = (await _broker.CreateExtraVirtualHostAsync(options.Named("moderation-bench-redis-only", '-'))).ToString(),
            }), logs), watch: false);
        // The product's database fallback: Redis at a port where nothing listens, so every read goes to PostgreSQL.
        _readNoCache = await StartAsync(await ServiceProcess.StartAsync("read-api-nocache", dlls["ReadApi"], FreePort(),
            With(new()
            {
                ["ConnectionStrings__redis"] = $"127.0.0.1:{FreePort()},connectTimeout=500",
                // A virtual host of its own: on the shared one it would compete with the real read API for the
                // cache-invalidation queue (and, with its cache down, hold those messages in retry).
                ["ConnectionStrings__rabbitmq"] = (await _broker.CreateExtraVirtualHostAsync(options.Named("moderation-bench-nocache", '-'))).ToString(),
            }), logs), watch: false);
        await StartWorkerAsync(dlls);
    }

    private Task<ServiceProcess> StartAsync(ServiceProcess service, bool watch = true)
    {
        _running.Add(service);
        if (watch) _rss.Watch(service);
        return Task.FromResult(service);
    }

    private Dictionary<string, string> With(Dictionary<string, string> extra)
    {
        var env = new Dictionary<string, string>(_commonEnv);
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    private async Task StartWorkerAsync(Dictionary<string, string> dlls)
    {
        if (_scoring is { HasExited: false }) return;
        // As deployed: the rules' shared state (recent texts, flood counts) in Redis, not in process memory.
        _scoring = await StartAsync(await ServiceProcess.StartAsync("scoring", dlls["Scoring"], FreePort(),
            With(new() { ["ConnectionStrings__redis"] = _redis }), Path.Combine(Artifacts, "logs")));
    }

    private async Task StopWorkerAsync()
    {
        if (_scoring is null) return;
        await _scoring.StopAsync();
        _running.Remove(_scoring);
        _scoring = null;
    }

    private string ReadPath(string thread, int limit = 50) =>
        $"/api/v1/comments?siteId={SiteId}&threadId={Uri.EscapeDataString(thread)}&limit={limit}";

    private string ReadThread => $"{_tag}-read-50";

    /// <summary>A 50-comment thread for the read phase, and one real broker message for the raw publish baseline.</summary>
    private async Task SeedAsync()
    {
        Phase("seed");
        using var ingest = Client(_ingestion, 8);
        for (var i = 0; i < 50; i++)
        {
            using var response = await PostAsync(ingest, Comment(ReadThread, i));
            if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"seeding: ingestion answered {(int)response.StatusCode}");
        }
        using var reader = Client(_read, 1);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var count = 0;
        while (count < 50)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"seeding: only {count} of 50 comments became visible");
            await Task.Delay(200);
            var page = await reader.GetFromJsonAsync<JsonElement>(ReadPath(ReadThread));
            count = page.GetProperty("count").GetInt32();
        }
        var bytes = await reader.GetByteArrayAsync(ReadPath(ReadThread));
        using var bare = Client(_bare, 1);
        (await bare.PutAsync("/bare/thread", new ByteArrayContent(bytes))).EnsureSuccessStatusCode();
        _results.Notes.Add($"Read thread: 50 approved comments, {bytes.Length:N0} bytes of JSON per response.");
        Console.WriteLine($"  thread {ReadThread}: 50 comments visible, {bytes.Length:N0} bytes");

        // What the product really puts on the broker for one submission (MassTransit envelope), for the raw baseline.
        await StopWorkerAsync();
        using (var response = await PostAsync(ingest, Comment($"{_tag}-payload", 0))) response.EnsureSuccessStatusCode();
        _brokerPayload = await _broker.TakeOneAsync(ScoringQueue) ?? Comment($"{_tag}-payload", 0).Json;
        _results.Notes.Add($"Raw publish baseline payload: the {_brokerPayload.Length:N0}-byte message ingestion itself sent for one comment.");
        Console.WriteLine($"  broker payload for the raw baseline: {_brokerPayload.Length:N0} bytes");
    }

    // ---------------------------------------------------------------------------------------------- phases

    /// <summary>1. Ingestion vs a bare endpoint and vs raw publisher-confirmed publishes (worker stopped: ingestion alone).</summary>
    private async Task IngestionPhaseAsync(int run)
    {
        Phase($"1. ingestion (run {run}/{options.Runs})");
        await StopWorkerAsync();
        var bodies = Enumerable.Range(0, options.Concurrency).Select(w => Comment($"{_tag}-load-{w % 16}", w)).ToArray();

        using (var bare = Client(_bare, options.Concurrency))
        {
            var r = await ClosedLoop.RunAsync("bare POST 202", options.Concurrency, Warmup, Measure, w => Expect(PostAsync(bare, bodies[w]), HttpStatusCode.Accepted),
                () => ProcessCpu.Seconds(_bare.Pid));
            _results.Add(run, "ingest.bare", r);
        }

        await using (var connection = await new ConnectionFactory { Uri = _broker.AmqpUri, ClientProvidedName = "benchmark-raw-publisher" }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.QueueDeclareAsync(RawQueue, durable: true, exclusive: false, autoDelete: false);
            var properties = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json" };
            var payload = _brokerPayload;
            var r = await ClosedLoop.RunAsync("raw RabbitMQ confirmed publish", options.Concurrency, Warmup, Measure,
                async _ => await channel.BasicPublishAsync(string.Empty, RawQueue, mandatory: false, properties, payload));
            _results.Add(run, "ingest.raw", r);
        }
        await _broker.PurgeAsync(RawQueue);

        using (var ingest = Client(_ingestion, options.Concurrency))
        {
            var r = await ClosedLoop.RunAsync("ingestion POST", options.Concurrency, Warmup, Measure, w => Expect(PostAsync(ingest, bodies[w]), HttpStatusCode.Accepted),
                () => ProcessCpu.Seconds(_ingestion.Pid));
            _results.Add(run, "ingest.product", r);
        }
        await _broker.PurgeAsync(ScoringQueue);
    }

    /// <summary>3. Cached reads of a 50-comment thread vs a bare endpoint with the same bytes vs the database path.</summary>
    private async Task ReadPhaseAsync(int run)
    {
        Phase($"3. read API (run {run}/{options.Runs})");
        var path = ReadPath(ReadThread);
        foreach (var (key, name, service) in new[]
                 {
                     ("read.bare", "bare GET same bytes", _bare),
                     ("read.cached", "read API GET (cached: a moment in memory, then Redis)", _read),
                     ("read.redis", "read API GET (Redis only: local cache off)", _readRedisOnly),
                     ("read.uncached", "read API GET (no cache: database)", _readNoCache),
                 })
        {
            using var client = Client(service, options.Concurrency);
            var r = await ClosedLoop.RunAsync(name, options.Concurrency, Warmup, Measure, async _ =>
            {
                using var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK || body.Length < 1000)
                    throw new InvalidOperationException($"GET answered {(int)response.StatusCode} with {body.Length} bytes");
            }, () => ProcessCpu.Seconds(service.Pid));
            _results.Add(run, key, r);
        }
    }

    /// <summary>2b. Drain: N messages waiting with the worker stopped; start it and time until all are stored.</summary>
    private async Task DrainPhaseAsync(int run, Dictionary<string, string> dlls)
    {
        Phase($"2b. worker drain (run {run}/{options.Runs})");
        await StopWorkerAsync();
        await _broker.PurgeAsync(ScoringQueue);
        var n = options.DrainCount;
        Console.WriteLine($"  pre-filling {n:N0} submissions through ingestion (worker stopped)");
        var threads = PhaseThreads($"{_tag}-drain{run}");
        await FillAsync(n, threads);
        // Every 202 came after the broker's confirm, so all n are in the queue; ingestion groups submissions that
        // arrive together, so the queue holds fewer messages than comments.
        var messages = await _broker.ReadyNowAsync(ScoringQueue) ?? 0;
        Console.WriteLine($"  {n:N0} comments in {messages:N0} messages ready in {ScoringQueue}");
        _results.Add(run, "drain.messages", messages);

        var before = await _db.ScoredCountAsync(SiteId, threads);
        var clock = Stopwatch.StartNew();
        var startTask = StartWorkerAsync(dlls);
        double? first = null;
        var lastPrint = 0.0;
        var stored = 0L;
        var last = 0L;
        var limit = TimeSpan.FromSeconds(120 + n / 20.0);
        (double Cpu, double Machine, Dictionary<string, double> Servers, long Stored)? cpuFrom = null;
        while (stored < n && clock.Elapsed < limit)
        {
            // Not more often: each count is a query that competes with the worker for the same cores.
            await Task.Delay(250);
            stored = await _db.ScoredCountAsync(SiteId, threads) - before;
            if (stored > 0 && first is null) first = clock.Elapsed.TotalSeconds;
            // The worker's own CPU per message (start-up excluded): less disturbed by other load than the rate.
            if (stored > 0 && cpuFrom is null && _scoring is { } worker) cpuFrom = (ProcessCpu.Seconds(worker.Pid), ProcessCpu.MachineSeconds(), ServerCpu(), stored);
            if (clock.Elapsed.TotalSeconds - lastPrint >= 1)
            {
                lastPrint = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"  [drain] {lastPrint,4:0}s  {stored - last,8:N0}/s  stored {stored:N0} of {n:N0}");
                last = stored;
            }
        }
        await startTask;
        var total = clock.Elapsed.TotalSeconds;
        var draining = total - (first ?? total);
        var rate = stored / Math.Max(draining, 0.001);
        var (cpuMs, machineMs) = cpuFrom is { } from && stored > from.Stored
            ? ((ProcessCpu.Seconds(_scoring!.Pid) - from.Cpu) * 1000 / (stored - from.Stored),
               (ProcessCpu.MachineSeconds() - from.Machine) * 1000 / (stored - from.Stored))
            : (double.NaN, double.NaN);
        Console.WriteLine($"  => drained {stored:N0} of {n:N0} in {total:0.0} s from process start ({draining:0.0} s from the first stored comment): {rate:N0}/s, " +
                          $"CPU per comment: worker {cpuMs:0.00} ms, whole machine {machineMs:0.00} ms");
        if (cpuFrom is { } start && stored > start.Stored)
        {
            // Where the rest of the machine's time per stored comment went: the servers the worker talks to, and the
            // read API, which refreshes its cache from the worker's decisions.
            foreach (var (server, seconds) in ServerCpu())
            {
                var ms = (seconds - start.Servers[server]) * 1000 / (stored - start.Stored);
                _results.Add(run, $"drain.cpu_ms.{server}", ms);
                Console.WriteLine($"     {server}: {ms:0.00} ms per comment");
            }
        }
        _results.Add(run, "drain.worker_cpu_ms", cpuMs);
        _results.Add(run, "drain.machine_cpu_ms", machineMs);
        _results.Add(run, "drain.rate", rate);
        _results.Add(run, "drain.total_s", total);
        _results.Add(run, "drain.startup_s", first ?? double.NaN);
        _results.Add(run, "drain.complete", stored >= n ? 1 : 0);
    }

    private Dictionary<string, double> ServerCpu() => new()
    {
        ["postgresql"] = ProcessCpu.SecondsOfAll("postgres"),
        ["redis"] = ProcessCpu.SecondsOfAll("redis-server"),
        ["rabbitmq"] = ProcessCpu.SecondsOfAll("beam.smp", "erl_child_setup", "epmd"),
        ["read-api"] = ProcessCpu.Seconds(_read.Pid),
    };

    /// <summary>2a. Sustained: ingestion driven at its max rate with the worker running; the backlog every second.</summary>
    private async Task SustainedPhaseAsync(int run)
    {
        Phase($"2a. worker sustained, ingestion at max rate (run {run}/{options.Runs})");
        await _broker.PurgeAsync(ScoringQueue);
        var samples = new List<(double T, long Stored, long Backlog, long? Ready, long? Management)>();
        var accepted = 0L;
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var threads = PhaseThreads($"{_tag}-sustain{run}");
        var baseStored = await _db.ScoredCountAsync(SiteId, threads);
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            var lastStored = 0L;
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    var acceptedSoFar = Interlocked.Read(ref accepted);
                    var stored = await _db.ScoredCountAsync(SiteId, threads) - baseStored;
                    var ready = await _broker.ReadyNowAsync(ScoringQueue);
                    var mgmt = await _broker.ManagementDepthAsync(ScoringQueue);
                    var t = clock.Elapsed.TotalSeconds;
                    // Comments accepted and not yet stored: what the queue holds, counted in comments, not in messages.
                    var backlog = acceptedSoFar - stored;
                    samples.Add((t, stored, backlog, ready, mgmt));
                    Console.WriteLine($"  [worker] {t,4:0}s  stored {stored - lastStored,6:N0}/s  backlog {backlog,8:N0} comments  queue ready {ready,8:N0} messages  (management API: {mgmt?.ToString("N0") ?? "?"})");
                    lastStored = stored;
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        LoadResult load;
        using (var ingest = Client(_ingestion, options.Concurrency))
            load = await ClosedLoop.RunAsync("ingestion POST (worker running)", options.Concurrency, Warmup, TimeSpan.FromSeconds(options.SustainSeconds),
                async w =>
                {
                    await Expect(PostAsync(ingest, NextComment(threads[w % threads.Length])), HttpStatusCode.Accepted);
                    Interlocked.Increment(ref accepted);
                });
        stop.Cancel();
        await sampler;

        var window = samples.Where(s => s.T >= options.WarmupSeconds).ToList();
        if (window.Count < 2) window = samples;
        var workerRate = window.Count >= 2 ? (window[^1].Stored - window[0].Stored) / (window[^1].T - window[0].T) : double.NaN;
        var depth = window.Select(s => (s.T, (double)s.Backlog)).ToList();
        var slope = Stats.Slope(depth);
        var maxDepth = depth.Count > 0 ? depth.Max(d => d.Item2) : 0;
        var endDepth = depth.Count > 0 ? depth[^1].Item2 : 0;
        Console.WriteLine($"  => worker {workerRate:N0}/s stored while ingestion accepted {load.PerSecond:N0}/s; backlog slope {slope:+0;-0} comments/s, max {maxDepth:N0}, end {endDepth:N0}: " +
                          (BenchResults.KeepsUp(workerRate, slope, load.PerSecond) ? "the worker keeps up" : "the worker falls behind"));
        _results.Add(run, "sustain.ingest", load);
        _results.Add(run, "sustain.worker_rate", workerRate);
        _results.Add(run, "sustain.depth_slope", slope);
        _results.Add(run, "sustain.depth_max", maxDepth);
        _results.Add(run, "sustain.depth_end", endDepth);
        _results.DepthSamples[run] = samples.Select(s => new DepthSample(Math.Round(s.T, 1), s.Stored, s.Backlog, s.Ready, s.Management)).ToList();

        // Let the backlog drain (bounded) so the next run starts from an empty queue.
        var until = DateTime.UtcNow.AddSeconds(options.Quick ? 10 : 60);
        while ((await _broker.ReadyNowAsync(ScoringQueue) ?? 0) > 0 && DateTime.UtcNow < until) await Task.Delay(500);
        await _broker.PurgeAsync(ScoringQueue);
    }

    /// <summary>4. Submit → visible on the read API, at a steady moderate rate; also submit → status "approved".</summary>
    private async Task EndToEndPhaseAsync(int run)
    {
        Phase($"4. end-to-end at {options.E2eRate:0}/s for {options.E2eSeconds:0} s (run {run}/{options.Runs})");
        // Latency means something only from an empty queue: a backlog left by the sustained phase would be measured instead.
        var backlog = await EmptyScoringQueueAsync();
        _results.Add(run, "e2e.queue_at_start", backlog);
        using var ingest = Client(_ingestion, 64);
        using var reader = Client(_read, 64);
        var n = (int)(options.E2eRate * options.E2eSeconds);
        var visible = new List<double>();
        var approved = new List<double>();
        var accepted = new List<double>();
        var failures = 0;
        var done = 0L;
        var sync = new Lock();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var progress = Progress.EverySecondAsync("e2e visible", () => Interlocked.Read(ref done), TimeSpan.Zero, stop.Token);

        async Task One(int i)
        {
            var thread = $"{_tag}-e2e{run}-{i}";
            var t0 = Stopwatch.GetTimestamp();
            double Ms() => Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            try
            {
                using var response = await PostAsync(ingest, NextComment(thread));
                if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"POST answered {(int)response.StatusCode}");
                var body = await response.Content.ReadFromJsonAsync<BareAccepted>();
                var acceptedMs = Ms();
                var id = body!.Id.ToString();
                double? approvedMs = null;
                while (Ms() < 30_000)
                {
                    if (approvedMs is null)
                    {
                        var status = await ingest.GetFromJsonAsync<JsonElement>(body.StatusUrl);
                        if (status.GetProperty("status").GetString() == "approved") approvedMs = Ms();
                    }
                    var page = await reader.GetStringAsync(ReadPath(thread));
                    if (page.Contains(id, StringComparison.Ordinal))
                    {
                        var visibleMs = Ms();
                        lock (sync)
                        {
                            accepted.Add(acceptedMs);
                            approved.Add(approvedMs ?? visibleMs);
                            visible.Add(visibleMs);
                        }
                        Interlocked.Increment(ref done);
                        return;
                    }
                    await Task.Delay(4 + Random.Shared.Next(3));
                }
                throw new TimeoutException("not visible within 30 s");
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException or TaskCanceledException)
            {
                Interlocked.Increment(ref failures);
            }
        }

        var tasks = new List<Task>(n);
        for (var i = 0; i < n; i++)
        {
            var due = TimeSpan.FromSeconds(i / options.E2eRate) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            tasks.Add(One(i));
        }
        await Task.WhenAll(tasks);
        stop.Cancel();
        await progress;
        var p50 = Stats.PercentileMs(visible, 0.5);
        var p99 = Stats.PercentileMs(visible, 0.99);
        Console.WriteLine($"  => {visible.Count:N0} of {n:N0} visible ({failures} failed): submit→visible p50 {p50:0.0} ms, p99 {p99:0.0} ms; " +
                          $"submit→status approved p50 {Stats.PercentileMs(approved, 0.5):0.0} ms, p99 {Stats.PercentileMs(approved, 0.99):0.0} ms; 202 p50 {Stats.PercentileMs(accepted, 0.5):0.0} ms");
        _results.Add(run, "e2e.visible_p50", p50);
        _results.Add(run, "e2e.visible_p99", p99);
        _results.Add(run, "e2e.approved_p50", Stats.PercentileMs(approved, 0.5));
        _results.Add(run, "e2e.approved_p99", Stats.PercentileMs(approved, 0.99));
        _results.Add(run, "e2e.accepted_p50", Stats.PercentileMs(accepted, 0.5));
        _results.Add(run, "e2e.failures", failures);
        _results.Add(run, "e2e.count", visible.Count);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /// <summary>
    /// Purges the scoring queue and waits until the worker has finished what it had already taken (nothing ready,
    /// nothing stored for a second). Returns the messages ready at the end (0 unless the wait timed out).
    /// </summary>
    private async Task<long> EmptyScoringQueueAsync()
    {
        await _broker.PurgeAsync(ScoringQueue);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        // Only the last worker phase's threads are counted: a count of the whole table, hundreds of thousands of
        // rows by now, would compete with the worker just before the end-to-end phase is measured.
        var threads = _lastPhaseThreads;
        var stored = await _db.ScoredCountAsync(SiteId, threads);
        long ready;
        while (true)
        {
            await Task.Delay(1000);
            ready = await _broker.ReadyNowAsync(ScoringQueue) ?? -1;
            var now = await _db.ScoredCountAsync(SiteId, threads);
            if ((ready == 0 && now == stored) || DateTime.UtcNow > deadline) break;
            if (ready > 0) await _broker.PurgeAsync(ScoringQueue);
            stored = now;
        }
        Console.WriteLine($"  scoring queue: {ready:N0} ready, worker idle{(ready == 0 ? "" : " (gave up waiting)")}");
        return ready;
    }

    /// <summary>Sends exactly <paramref name="n"/> accepted submissions through ingestion, as fast as it takes them.</summary>
    /// <summary>
    /// The threads a worker phase writes to, so that counting what it stored is a few index ranges rather than a
    /// count of the whole table (which, 10 times a second, took CPU from the worker being measured).
    /// </summary>
    private string[] PhaseThreads(string prefix) => _lastPhaseThreads = [.. Enumerable.Range(0, 16).Select(i => $"{prefix}-{i}")];

    /// <summary>The threads of the last worker phase: what the worker may still be storing when the next phase starts.</summary>
    private string[] _lastPhaseThreads = [];

    private async Task FillAsync(int n, string[] threads)
    {
        using var ingest = Client(_ingestion, options.Concurrency);
        var issued = 0L;
        var acceptedCount = 0L;
        using var stop = new CancellationTokenSource();
        var progress = Progress.EverySecondAsync("pre-fill", () => Interlocked.Read(ref acceptedCount), TimeSpan.Zero, stop.Token);
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(w => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref issued) <= n)
            {
                var body = NextComment(threads[w % threads.Length]);
                for (var attempt = 1; ; attempt++)
                {
                    using var response = await PostAsync(ingest, body);
                    if (response.StatusCode == HttpStatusCode.Accepted) break;
                    if (attempt == 5) throw new InvalidOperationException($"pre-fill: ingestion answered {(int)response.StatusCode}");
                    await Task.Delay(100);
                }
                Interlocked.Increment(ref acceptedCount);
            }
        })));
        stop.Cancel();
        await progress;
    }

    private static HttpClient Client(ServiceProcess service, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, CommentPost post)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/comments") { Content = new ByteArrayContent(post.Json) };
        request.Content.Headers.ContentType = Json;
        // As behind a site's reverse proxy: the reader's own address, so the flood rule counts each reader, not the load generator.
        request.Headers.Add("X-Forwarded-For", post.ReaderIp);
        return client.SendAsync(request);
    }

    private static async Task Expect(Task<HttpResponseMessage> request, HttpStatusCode expected)
    {
        using var response = await request;
        await response.Content.CopyToAsync(Stream.Null);
        if (response.StatusCode != expected) throw new InvalidOperationException($"answered {(int)response.StatusCode}, expected {(int)expected}");
    }

    /// <summary>
    /// A comment with a text no other submission of this run has: the worker phases measure scoring of varied
    /// traffic, not the copy rule filing one repeated text as spam (which would also keep it off the read API).
    /// </summary>
    private CommentPost NextComment(string thread) => Comment(thread, 1_000_000 + Interlocked.Increment(ref _sequence));

    private CommentPost Comment(string thread, int n) => new(JsonSerializer.SerializeToUtf8Bytes(new
    {
        siteId = SiteId,
        threadId = thread,
        threadUrl = $"https://bench.example/{thread}",
        threadTitle = "A benchmark story",
        // Many readers, each back now and then, as on a news site: the rules look up each one's history.
        authorName = $"Reader {n % Readers}",
        authorEmail = $"reader{n % Readers}@example.org",
        body = VariedBody(_tag, n),
    }), $"10.0.{n % Readers / 250}.{n % Readers % 250 + 1}");

    /// <summary>A submission's JSON and the address of the reader who sent it.</summary>
    private sealed record CommentPost(byte[] Json, string ReaderIp);

    private const int Readers = 2_000;

    private static readonly string[] Vocabulary =
        ("council budget river park housing school teacher bus route fare rent tax vote mayor street bridge library nurse " +
         "hospital election ballot turnout campaign debate policy flood storm harbour market farmer price bread coffee " +
         "cyclist driver parking station train delay strike union wage pension winter summer festival music theatre " +
         "museum garden tree planning permit developer tower neighbour noise police court judge report reporter story " +
         "chart figure number million percent district ward village town city county region minister spokesperson " +
         "agree disagree wonder think believe remember hope worry doubt question answer").Split(' ');

    /// <summary>
    /// A different, word-salad comment for each n and each benchmark invocation (seeded), so that the copy and
    /// campaign rules see what real, varied traffic looks like rather than one text repeated, also when another
    /// run's texts are still within the rules' window.
    /// </summary>
    internal static string VariedBody(string tag, int n)
    {
        // Each word from a 64-bit mix of (tag, n, position): a 32-bit Random seed repeated itself a few times in a
        // full run's ~500,000 comments, and the copy rule rightly filed the repeats as spam.
        var seed = tag.Aggregate(14695981039346656037UL, (h, c) => (h ^ c) * 1099511628211UL) ^ ((ulong)(uint)n << 8);
        var words = Enumerable.Range(0, 18).Select(i => Vocabulary[(int)(Mix(seed + (ulong)i) % (ulong)Vocabulary.Length)]);
        return $"Comment {n}: " + string.Join(' ', words) + ".";
    }

    /// <summary>SplitMix64's finalizer: every input bit changes about half of the output bits.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    internal static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln"))) return dir.FullName;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the repository (Moderation.sln not found).");
    }

    /// <summary>git's output in <paramref name="root"/>, or "" when git is missing or fails.</summary>
    internal static string Git(string root, string arguments)
    {
        try
        {
            var psi = new ProcessStartInfo("git", arguments) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        Console.WriteLine("  stopping services");
        foreach (var service in Enumerable.Reverse(_running).ToList()) await service.StopAsync();
        if (_rss is not null) await _rss.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
    }
}
