using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace Moderation.ServiceDefaults;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed: exactly those listed under
/// <c>TrustedProxies</c>, single addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>). ASP.NET's own default,
/// any loopback peer, is dropped: otherwise anything on the host could claim any client address (and so escape the
/// rate limits and bans, or be blamed for another's comments). A front end on the same host must be listed.
/// </summary>
public static class TrustedProxies
{
    public const string SectionName = "TrustedProxies";

    /// <summary>Reads the section now, so that a bad entry stops the service at start, naming its key.</summary>
    public static Action<ForwardedHeadersOptions> FromConfiguration(IConfiguration configuration)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in configuration.GetSection(SectionName).GetChildren())
        {
            var value = entry.Value?.Trim() ?? "";
            if (value.Contains('/') && System.Net.IPNetwork.TryParse(value, out var network)) networks.Add(network);
            else if (!value.Contains('/') && IPAddress.TryParse(value, out var address)) proxies.Add(address);
            else throw new InvalidOperationException(
                $"{entry.Path} is '{value}': expected an IP address (10.0.0.5) or a network with its host bits zero (10.0.0.0/8).");
        }

        return options =>
        {
            // With both lists empty the middleware believes every peer, so nothing trusted must mean nothing forwarded.
            options.ForwardedHeaders = proxies.Count + networks.Count > 0
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
        };
    }
}
