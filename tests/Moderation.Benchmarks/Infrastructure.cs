using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;

namespace Moderation.Benchmarks;

/// <summary>A service run as a real process: <c>dotnet Moderation.X.dll</c>, its output appended to a log file.</summary>
public sealed class ServiceProcess
{
    private readonly Process _process;

    private ServiceProcess(string name, int port, Process process, string log)
    {
        Name = name;
        Port = port;
        _process = process;
        Log = log;
    }

    public string Name { get; }
    public int Port { get; }
    public string Log { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Publishes services/Moderation.<paramref name="service"/> (Release) under artifacts/bench/publish/ and returns its dll.</summary>
    public static async Task<string> PublishAsync(string root, string artifacts, string service, bool skip)
    {
        var output = Path.Combine(artifacts, "publish", service);
        var dll = Path.Combine(output, $"Moderation.{service}.dll");
        if (skip && File.Exists(dll)) return dll;
        Console.WriteLine($"  dotnet publish services/Moderation.{service} -c Release");
        using var p = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(root, "services", $"Moderation.{service}"), "-c", "Release", "-o", output, "--nologo", "-v", "quiet"]))!;
        await p.WaitForExitAsync();
        return p.ExitCode == 0 ? dll : throw new InvalidOperationException($"publishing Moderation.{service} failed");
    }

    /// <param name="readyPath">Polled until it answers 2xx: the service's readiness unless told otherwise.</param>
    public static Task<ServiceProcess> StartAsync(string name, string dll, int port, IDictionary<string, string> env, string logDir,
        string[]? extraArgs = null, string readyPath = "/health/ready") =>
        StartProgramAsync(name, "dotnet", [dll, .. extraArgs ?? []], Path.GetDirectoryName(dll)!, port, env, logDir, readyPath);

    /// <summary>Any program serving HTTP on <paramref name="port"/> (a .NET service, or nginx for the gateway benchmark).</summary>
    public static async Task<ServiceProcess> StartProgramAsync(string name, string program, string[] args, string workingDirectory, int port,
        IDictionary<string, string> env, string logDir, string readyPath)
    {
        Directory.CreateDirectory(logDir);
        var log = Path.Combine(logDir, $"{name}.log");
        // exec: the pid is the service's own, and its console output goes to the file without passing through us.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$@\" >>\"$BENCH_SERVICE_LOG\" 2>&1");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(program);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["BENCH_SERVICE_LOG"] = log;
        foreach (var key in new[] { "ConnectionStrings__postgres", "ConnectionStrings__redis", "ConnectionStrings__rabbitmq", "ConnectionStrings__sqlite" })
            psi.Environment.Remove(key);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["Urls"] = $"http://127.0.0.1:{port}";
        foreach (var (k, v) in env) psi.Environment[k] = v;
        File.AppendAllText(log, $"===== {DateTime.UtcNow:O} starting {name} on port {port}{Environment.NewLine}");
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {name}");
        var service = new ServiceProcess(name, port, process, log);
        await service.WaitReadyAsync(readyPath, TimeSpan.FromSeconds(90));
        Console.WriteLine($"  started {name} (pid {service.Pid}, http://127.0.0.1:{port}, log {Path.GetRelativePath(Environment.CurrentDirectory, log)})");
        return service;
    }

    private async Task WaitReadyAsync(string readyPath, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} during start-up; see {Log}");
            try
            {
                using var response = await http.GetAsync(readyPath);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds} s; see {Log}");
    }

    /// <summary>SIGTERM (a graceful stop: in-flight messages finish or go back to the queue), then SIGKILL after 20 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }
}

/// <summary>CPU time a process has used (user + system), from /proc.</summary>
public static class ProcessCpu
{
    public static double Seconds(int pid)
    {
        try
        {
            return SecondsIn(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>CPU seconds used so far by every process whose command name is one of <paramref name="names"/>
    /// (a server's backends and workers together: PostgreSQL's per-connection processes, RabbitMQ's Erlang VM).</summary>
    public static double SecondsOfAll(params string[] names)
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (names.Contains(stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')])) total += SecondsIn(stat);
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
        }
        return total;
    }

    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15 (clock ticks).
    private static double SecondsIn(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Busy CPU seconds of the whole machine (every process, user and system), from /proc/stat.</summary>
    public static double MachineSeconds()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal ...": everything but idle and iowait is busy.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return (fields.Take(8).Sum() - fields[3] - fields[4]) / 100.0;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}

/// <summary>A process's resident memory from /proc/PID/status.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS (resident now) and VmHWM (the resident peak) in kB, read in one pass; zeros once the process has gone.</summary>
    public static (long NowKb, long PeakKb) ResidentKb(int pid)
    {
        long now = 0, peak = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) now = Kb(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kb(line);
            }
        }
        catch (IOException)
        {
        }
        return (now, peak);

        static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static (double Now, double Peak) ResidentMb(int pid)
    {
        var (now, peak) = ResidentKb(pid);
        return (now / 1024.0, peak / 1024.0);
    }
}

/// <summary>Samples VmRSS and VmHWM of every running service every 250 ms; keeps the peak per service and phase.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceProcess> _watched = new();
    private readonly ConcurrentDictionary<(string Service, string Phase), long> _peakKb = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RssSampler() => _loop = Task.Run(LoopAsync);

    public string Phase { get; set; } = "setup";

    public void Watch(ServiceProcess service) => _watched[service.Name] = service;

    /// <summary>Peak resident memory in MB per service over everything sampled.</summary>
    public IReadOnlyDictionary<string, double> PeakMb() =>
        _peakKb.GroupBy(kv => kv.Key.Service).ToDictionary(g => g.Key, g => g.Max(kv => kv.Value) / 1024.0);

    public IReadOnlyDictionary<string, Dictionary<string, double>> PeakMbByPhase() =>
        _peakKb.GroupBy(kv => kv.Key.Service).ToDictionary(g => g.Key, g => g.ToDictionary(kv => kv.Key.Phase, kv => kv.Value / 1024.0));

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var service in _watched.Values)
                {
                    if (service.HasExited) continue;
                    var kb = Read(service.Pid);
                    if (kb > 0) _peakKb.AddOrUpdate((service.Name, Phase), kb, (_, old) => Math.Max(old, kb));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The larger of VmRSS and VmHWM (the kernel's own high-water mark catches peaks between samples).</summary>
    private static long Read(int pid)
    {
        var (now, peak) = ProcessMemory.ResidentKb(pid);
        return Math.Max(now, peak);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>The benchmark's own database, created fresh for each invocation.</summary>
public sealed class BenchDatabase(string adminConnectionString, string name)
{
    public string Name { get; } = name;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = Name }.ConnectionString;

    public async Task RecreateAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(adminConnectionString);
        await conn.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync();
                break;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
            {
                // A server process of another role (autovacuum) is on it for a moment; FORCE may not end it.
                await Task.Delay(1000);
            }
        }
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", conn)) await create.ExecuteNonQueryAsync();
    }

    /// <summary>Comments scored so far in these threads of the site (the read path's index: a range per thread).</summary>
    public async Task<long> ScoredCountAsync(string siteId, string[] threads)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*) FROM comments WHERE \"SiteId\" = $1 AND \"ThreadId\" = ANY($2) AND \"Status\" <> 'Pending'", conn)
        {
            Parameters = { new() { Value = siteId }, new() { Value = threads } },
        };
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// The benchmark's own Redis database number, so its keys (read cache, the rules' recent texts, all with TTLs)
/// never mix with the tests'. Texts differ per invocation, so an earlier run's texts are never copies.
/// </summary>
public static class BenchRedis
{
    public const int Database = 9;

    /// <summary>The services' connection string: the given one, on the benchmark's database.</summary>
    public static string ConnectionString(string redis) => $"{redis},defaultDatabase={Database}";
}

/// <summary>The benchmark's own RabbitMQ virtual host (management API), recreated for each invocation.</summary>
public sealed class BenchBroker : IAsyncDisposable
{
    private readonly HttpClient _management;
    private readonly Uri _amqp;
    private IConnection? _probe;
    private IChannel? _probeChannel;

    public BenchBroker(Uri amqp, Uri management, string vhost)
    {
        _amqp = amqp;
        VirtualHost = vhost;
        _management = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(10) };
        var userInfo = Uri.UnescapeDataString(management.UserInfo);
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
    }

    public string VirtualHost { get; }

    public Uri AmqpUri => new UriBuilder(_amqp) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri;

    private string V => Uri.EscapeDataString(VirtualHost);

    public async Task RecreateAsync()
    {
        await _management.DeleteAsync($"/api/vhosts/{V}");
        (await _management.PutAsync($"/api/vhosts/{V}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(_amqp.UserInfo.Split(':')[0]);
        (await _management.PutAsJsonAsync($"/api/permissions/{V}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        _probe = await new ConnectionFactory { Uri = AmqpUri, ClientProvidedName = "benchmark-probe" }.CreateConnectionAsync();
    }

    private readonly List<string> _extraVirtualHosts = [];

    /// <summary>Another fresh virtual host with the same permissions, deleted at the end.</summary>
    public async Task<Uri> CreateExtraVirtualHostAsync(string name)
    {
        var v = Uri.EscapeDataString(name);
        await _management.DeleteAsync($"/api/vhosts/{v}");
        (await _management.PutAsync($"/api/vhosts/{v}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(_amqp.UserInfo.Split(':')[0]);
        (await _management.PutAsJsonAsync($"/api/permissions/{v}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        _extraVirtualHosts.Add(name);
        return new UriBuilder(_amqp) { Path = "/" + v }.Uri;
    }

    public async Task PurgeAsync(string queue)
    {
        using var response = await _management.DeleteAsync($"/api/queues/{V}/{Uri.EscapeDataString(queue)}/contents");
        if (response.StatusCode != System.Net.HttpStatusCode.NotFound) response.EnsureSuccessStatusCode();
    }

    /// <summary>The management API's count of messages (ready + unacknowledged); refreshed by the broker every few seconds.</summary>
    public async Task<long?> ManagementDepthAsync(string queue)
    {
        try
        {
            using var response = await _management.GetAsync($"/api/queues/{V}/{Uri.EscapeDataString(queue)}");
            if (!response.IsSuccessStatusCode) return null;
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            return doc.RootElement.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The broker's exact count of ready messages right now (a passive queue.declare).</summary>
    public async Task<long?> ReadyNowAsync(string queue)
    {
        try
        {
            if (_probeChannel is not { IsOpen: true })
                _probeChannel = await _probe!.CreateChannelAsync();
            return (await _probeChannel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            _probeChannel = null;
            return null;
        }
    }

    /// <summary>Takes one message off a queue and returns its body: what the product really sends.</summary>
    public async Task<byte[]?> TakeOneAsync(string queue)
    {
        using var response = await _management.PostAsJsonAsync($"/api/queues/{V}/{Uri.EscapeDataString(queue)}/get",
            new { count = 1, ackmode = "ack_requeue_false", encoding = "auto", truncate = 1_000_000 });
        if (!response.IsSuccessStatusCode) return null;
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        if (doc.RootElement.GetArrayLength() == 0) return null;
        var message = doc.RootElement[0];
        var payload = message.GetProperty("payload").GetString() ?? "";
        return message.GetProperty("payload_encoding").GetString() == "base64" ? Convert.FromBase64String(payload) : Encoding.UTF8.GetBytes(payload);
    }

    public async ValueTask DisposeAsync()
    {
        if (_probeChannel is not null) await _probeChannel.DisposeAsync();
        if (_probe is not null) await _probe.DisposeAsync();
        await _management.DeleteAsync($"/api/vhosts/{V}");
        foreach (var extra in _extraVirtualHosts) await _management.DeleteAsync($"/api/vhosts/{Uri.EscapeDataString(extra)}");
        _management.Dispose();
    }
}
