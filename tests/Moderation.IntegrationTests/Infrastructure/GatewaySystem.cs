using Moderation.Gateway;

namespace Moderation.IntegrationTests.Infrastructure;

/// <summary>
/// The distributed system on loopback sockets with the gateway in front of it, as deploy/local/run-distributed.sh
/// runs it: the services believe the gateway's <c>X-Forwarded-For</c>, the gateway believes nobody's unless told.
/// </summary>
public sealed class GatewaySystem : IAsyncLifetime
{
    public DistributedSystem Services { get; } = new(onSockets: true);
    public ServiceHost<GatewayOptions> Gateway { get; private set; } = null!;

    /// <summary>A reader's browser, talking to the gateway only.</summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Services.InitializeAsync();
        Gateway = StartGateway();
        Client = new HttpClient { BaseAddress = Gateway.Address };
    }

    /// <summary>
    /// A gateway in front of <see cref="Services"/>; <paramref name="addresses"/> replaces a service's address
    /// (by its cluster name), <paramref name="extra"/> adds settings. For the caller to dispose.
    /// </summary>
    public ServiceHost<GatewayOptions> StartGateway(IReadOnlyDictionary<string, string>? addresses = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var services = new Dictionary<string, string>
        {
            ["ingestion"] = Services.Ingestion.Address.ToString(),
            ["scoring"] = Services.Scoring!.Address.ToString(),
            ["readApi"] = Services.ReadApi.Address.ToString(),
            ["moderationApi"] = Services.ModerationApi.Address.ToString(),
        };
        foreach (var (cluster, address) in addresses ?? new Dictionary<string, string>()) services[cluster] = address;
        var settings = services.ToDictionary(s => $"{GatewayExtensions.ProxySection}:Clusters:{s.Key}:Destinations:1:Address", s => (string?)s.Value);
        settings["Serilog:MinimumLevel:Default"] = "Warning";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return new ServiceHost<GatewayOptions>(settings, onSocket: true);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Gateway is not null) await Gateway.DisposeAsync();
        await Services.DisposeAsync();
    }
}
