using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Moderation.Gateway;

/// <summary>
/// A service behind the gateway is as ready as its instances say on their own <c>/health/ready</c>: healthy when
/// every instance is, degraded when some are (the gateway still has somewhere to send requests) or when they report
/// a degraded dependency, unhealthy when none answers ready. The description names each instance's answer.
/// </summary>
internal sealed class ServiceHealthCheck(string clusterId, IProxyStateLookup proxy, IHttpClientFactory clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxy.TryGetCluster(clusterId, out var cluster) || cluster.Destinations.Count == 0)
            return HealthCheckResult.Unhealthy("no instances configured");
        var http = clients.CreateClient(GatewayExtensions.HealthClient);
        var answers = await Task.WhenAll(cluster.Destinations.Values.Select(d =>
            ProbeAsync(http, d.Model.Config.Health ?? d.Model.Config.Address, cancellationToken)));
        var description = string.Join("; ", answers.Select(a => $"{a.Address}: {a.Summary}"));
        var ready = answers.Count(a => a.Status != HealthStatus.Unhealthy);
        if (ready == 0) return HealthCheckResult.Unhealthy(description);
        return ready < answers.Length || answers.Any(a => a.Status == HealthStatus.Degraded)
            ? HealthCheckResult.Degraded(description)
            : HealthCheckResult.Healthy(description);
    }

    private static async Task<(string Address, HealthStatus Status, string Summary)> ProbeAsync(HttpClient http, string address, CancellationToken cancellationToken)
    {
        var url = new Uri(new Uri(address), "health/ready");
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var (status, failing) = Parse(body);
            var summary = $"{(int)response.StatusCode} {status}{(failing.Length > 0 ? " (" + failing + ")" : "")}";
            if (response.StatusCode != HttpStatusCode.OK) return (address, HealthStatus.Unhealthy, summary);
            return (address, status == nameof(HealthStatus.Degraded) ? HealthStatus.Degraded : HealthStatus.Healthy, summary);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (address, HealthStatus.Unhealthy, "not answering: " + ex.Message);
        }
    }

    /// <summary>The service's overall status and the checks of its that are not healthy, from its readiness JSON.</summary>
    private static (string Status, string Failing) Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var status = json.RootElement.TryGetProperty("status", out var s) ? s.GetString() ?? "" : "";
            var failing = json.RootElement.TryGetProperty("checks", out var checks) && checks.ValueKind == JsonValueKind.Object
                ? string.Join(", ", checks.EnumerateObject()
                    .Where(c => c.Value.TryGetProperty("status", out var cs) && cs.GetString() != nameof(HealthStatus.Healthy))
                    .Select(c => $"{c.Name}: {c.Value.GetProperty("status").GetString()}"))
                : "";
            return (status, failing);
        }
        catch (JsonException)
        {
            return ("", "");
        }
    }
}
