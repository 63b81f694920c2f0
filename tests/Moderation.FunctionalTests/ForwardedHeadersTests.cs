using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Moderation.Data.Comments;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;

namespace Moderation.FunctionalTests;

/// <summary>
/// <c>X-Forwarded-For</c> says who the client is only when it comes from a proxy listed in <c>TrustedProxies</c>:
/// by default nobody, not even a peer on loopback.
/// </summary>
public sealed class ForwardedHeadersTests(StandaloneApp app, ForwardedHeadersTests.LoopbackProxyApp behindProxy)
    : IClassFixture<StandaloneApp>, IClassFixture<ForwardedHeadersTests.LoopbackProxyApp>
{
    /// <summary>The host behind a proxy on this machine: loopback listed as a network, beside another proxy's address.</summary>
    public sealed class LoopbackProxyApp : StandaloneApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("TrustedProxies:0", "192.0.2.7");
            builder.UseSetting("TrustedProxies:1", "127.0.0.0/8");
        }
    }

    private static readonly string[] ClaimedAddresses = ["198.51.100.1", "198.51.100.2", "198.51.100.3"];

    [Fact]
    public async Task Without_trusted_proxies_a_loopback_peer_is_one_client_whatever_it_forwards()
    {
        var statuses = await PostFromLoopbackAsync(app, ClaimedAddresses);

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses.Select(s => s.Status));
        Assert.All(await StoredClientIpsAsync(app, statuses), ip => Assert.Equal("127.0.0.1", ip));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_forwarded_address_is_the_client()
    {
        var statuses = await PostFromLoopbackAsync(behindProxy, ClaimedAddresses);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s.Status));
        Assert.Equal(ClaimedAddresses, await StoredClientIpsAsync(behindProxy, statuses));
    }

    [Fact]
    public async Task A_trusted_proxy_that_is_no_address_stops_the_host_naming_the_key()
    {
        await using var host = new StandaloneApp();
        var misconfigured = host.WithWebHostBuilder(b => b.UseSetting("TrustedProxies:0", "proxy.example"));

        var error = Assert.ThrowsAny<Exception>(() => misconfigured.CreateClient());

        Assert.Contains("TrustedProxies:0", error.ToString());
    }

    /// <summary>One comment to the site limited to two a minute per address for each claimed address, all from 127.0.0.1.</summary>
    private static async Task<List<(HttpStatusCode Status, Guid? Id)>> PostFromLoopbackAsync(StandaloneApp host, string[] claimed)
    {
        var api = new CommentsClient(host.ClientFrom("127.0.0.1"));
        var results = new List<(HttpStatusCode, Guid?)>();
        foreach (var address in claimed)
        {
            var response = await api.PostAsync(Json(Friendly(NewThread(), siteId: StandaloneApp.LimitedSite)),
                configure: r => r.Headers.Add("X-Forwarded-For", address));
            var id = response.StatusCode == HttpStatusCode.Accepted
                ? Guid.Parse((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!)
                : (Guid?)null;
            results.Add((response.StatusCode, id));
        }
        return results;
    }

    private static async Task<List<string?>> StoredClientIpsAsync(StandaloneApp host, List<(HttpStatusCode Status, Guid? Id)> posted)
    {
        var ips = new List<string?>();
        foreach (var id in posted.Where(p => p.Id is not null).Select(p => p.Id!.Value))
            ips.Add((await Eventually.Until<Comment?>(() => host.FindCommentAsync(id), c => c is not null, $"comment {id} to be stored"))!.ClientIp);
        return ips;
    }
}
