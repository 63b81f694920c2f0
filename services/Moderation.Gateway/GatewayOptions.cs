namespace Moderation.Gateway;

public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// Send the W3C trace headers of the gateway's activity to the services. Off unless a tracer listens: without
    /// one the headers cost every forwarded request work and bytes that nobody reads.
    /// </summary>
    public bool PropagateTraceHeaders { get; set; }

    /// <summary>How long the readiness probe waits for each service's own <c>/health/ready</c>.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
