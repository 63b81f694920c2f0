using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Data.Sites;

namespace Moderation.ServiceDefaults;

/// <summary>
/// CORS for the widget's routes only (<see cref="ApiPaths.IsWidget"/>): an origin is allowed when some site lists it.
/// Pre-flights do not say which site a request is for, so the per-site check is the ingestion endpoint's, on the
/// real request. Every other route (the staff's above all) answers no origin: a site's page has no business there.
/// </summary>
public sealed class SiteCorsPolicyProvider(ISiteRegistry sites) : ICorsPolicyProvider
{
    private readonly CorsPolicy _widgetPolicy = new CorsPolicyBuilder()
        .SetIsOriginAllowed(sites.IsAllowedOriginForAnySite)
        .WithMethods("GET", "POST")
        .WithHeaders("Content-Type", "If-None-Match")
        .WithExposedHeaders("Location", "Retry-After", "ETag")
        .SetPreflightMaxAge(TimeSpan.FromHours(1))
        .Build();

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName) =>
        Task.FromResult(ApiPaths.IsWidget(context.Request.Path) ? _widgetPolicy : null);
}

public static class SiteCorsExtensions
{
    public static IServiceCollection AddSiteCors(this IServiceCollection services) =>
        services.AddCors().AddSingleton<ICorsPolicyProvider, SiteCorsPolicyProvider>();
}
