using Microsoft.Extensions.Options;
using Moderation.ServiceDefaults;
using Yarp.ReverseProxy.Forwarder;

namespace Moderation.Gateway;

/// <summary>
/// One address for the distributed services: the routes and the services' addresses come from the
/// <c>ReverseProxy</c> section (appsettings.json: widget reads to the read API, comment posts, reports and status
/// to ingestion, the console and the staff APIs to the moderation API), readiness asks every service's own.
/// </summary>
public static class GatewayExtensions
{
    public const string ProxySection = "ReverseProxy";
    public const string HealthClient = "gateway-health";

    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GatewayOptions>(GatewayOptions.SectionName);
        // The services hold their own limits (ingestion's comment size, the moderation API's model uploads):
        // Kestrel's default here would refuse a model upload before the moderation API could accept it.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = null);
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection(ProxySection));
        builder.Services.AddSingleton<IForwarderHttpClientFactory, GatewayHttpClientFactory>();

        builder.Services.AddHttpClient(HealthClient, (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.HealthTimeout);
        var health = builder.Services.AddHealthChecks();
        foreach (var cluster in builder.Configuration.GetSection(ProxySection + ":Clusters").GetChildren())
            health.Add(new(cluster.Key, sp => ActivatorUtilities.CreateInstance<ServiceHealthCheck>(sp, cluster.Key),
                failureStatus: null, tags: [ServiceDefaultsExtensions.ReadyTag]));
        return builder;
    }

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        app.MapReverseProxy();
        return app;
    }
}

/// <summary>YARP's pooled handler, without trace headers unless <see cref="GatewayOptions.PropagateTraceHeaders"/>.</summary>
internal sealed class GatewayHttpClientFactory(IOptions<GatewayOptions> options) : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (!options.Value.PropagateTraceHeaders) handler.ActivityHeadersPropagator = null;
    }
}
