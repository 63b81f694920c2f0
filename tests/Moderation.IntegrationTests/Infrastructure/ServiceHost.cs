using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Moderation.IntegrationTests.Infrastructure;

/// <summary>
/// One service of the distributed system, run from its own Program with its own settings: in memory, or
/// <paramref name="onSocket"/> on a real loopback port (<see cref="Address"/>), for a gateway in front of it.
/// </summary>
public sealed class ServiceHost<TEntryPointMarker> : WebApplicationFactory<TEntryPointMarker> where TEntryPointMarker : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public ServiceHost(IReadOnlyDictionary<string, string?> settings, bool onSocket = false)
    {
        _settings = settings;
        if (!onSocket) return;
        Port = Ports.Free();
        UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
        StartServer();
    }

    /// <summary>The loopback port when on a socket, else 0.</summary>
    public int Port { get; }

    public Uri Address => Port > 0 ? new($"http://127.0.0.1:{Port}/") : throw new InvalidOperationException("This host runs in memory.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }
}

public static class Ports
{
    /// <summary>A loopback port nothing listens on at this moment.</summary>
    public static int Free()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
