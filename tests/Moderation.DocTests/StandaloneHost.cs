using System.Diagnostics;
using System.Net.Sockets;

namespace Moderation.DocTests;

/// <summary>
/// The standalone host from its build output (<c>dotnet Moderation.Standalone.dll</c>) on http://localhost:5000, the
/// address the docs use, keeping its data in the given folder (<c>DataDirectory</c>: the admin key, the status-link
/// secret and the SQLite database). When something else holds port 5000 (a developer's own host, another run on a
/// shared machine) it takes a free port, and the curl shim sends the docs' <c>http://localhost:5000</c> there.
/// </summary>
public sealed class StandaloneHost : IAsyncDisposable
{
    public const int DocumentedPort = 5000;

    private readonly Process _process;

    private StandaloneHost(Process process, string log, int port)
    {
        _process = process;
        Log = log;
        Port = port;
    }

    public string Log { get; }

    public int Port { get; }

    public static async Task<StandaloneHost> StartAsync(string dataDirectory, string log)
    {
        var port = Listening(DocumentedPort) ? FreePort() : DocumentedPort;
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(Repo.StandaloneDll)! };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$1\" >>\"$2\" 2>&1");
        psi.ArgumentList.Add(Repo.OnPath("dotnet"));
        psi.ArgumentList.Add(Repo.StandaloneDll);
        psi.ArgumentList.Add(log);
        DocEnvironment.Clean(psi.Environment);
        psi.Environment["DataDirectory"] = dataDirectory;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Urls"] = $"http://localhost:{port}";
        var host = new StandaloneHost(Process.Start(psi) ?? throw new InvalidOperationException("could not start the standalone host"), log, port);
        await host.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return host;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                Assert.Fail($"The standalone host exited with code {_process.ExitCode} at start:\n{DocEnvironment.Tail(Log, 40)}");
            try
            {
                using var ready = await http.GetAsync($"http://localhost:{Port}/health/ready");
                if (ready.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        Assert.Fail($"The standalone host was not ready within {timeout.TotalSeconds} s:\n{DocEnvironment.Tail(Log, 40)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
