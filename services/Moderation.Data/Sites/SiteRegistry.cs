using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Moderation.Data.Sites;

public interface ISiteRegistry
{
    /// <summary>The site as last loaded, or null when no such site exists.</summary>
    Site? Find(string siteId);

    /// <summary>Every origin some site allows (for CORS pre-flights, which do not say which site).</summary>
    bool IsAllowedOriginForAnySite(string origin);

    /// <summary>Reloads now rather than at the next refresh (after a settings change).</summary>
    Task ReloadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Every site held in memory, reloaded when a <c>SiteSettingsChanged</c> event arrives and every
/// <c>Sites:RefreshSeconds</c> (30) besides; a database outage does not stop validation.
/// </summary>
public sealed partial class SiteRegistry(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<SiteRegistry> logger)
    : BackgroundService, ISiteRegistry
{
    /// <summary>A safety net: a change is announced by an event and reloaded at once; this catches a missed one.</summary>
    private readonly TimeSpan _refreshInterval = TimeSpan.FromSeconds(configuration.GetValue("Sites:RefreshSeconds", 30));

    private volatile Snapshot _snapshot = Snapshot.Empty;

    public Site? Find(string siteId) => _snapshot.Sites.GetValueOrDefault(siteId);

    public bool IsAllowedOriginForAnySite(string origin) => _snapshot.Origins.Contains(origin);

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var sites = await db.Sites.AsNoTracking().ToListAsync(cancellationToken);
        _snapshot = new Snapshot(
            sites.ToFrozenDictionary(s => s.Id),
            sites.SelectMany(s => s.AllowedOrigins).ToFrozenSet(StringComparer.OrdinalIgnoreCase));
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Load once before the host serves requests; the database initializer has run by now.
        await ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_refreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(logger, ex.Message);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not refresh sites, serving the last ones loaded: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);

    private sealed record Snapshot(FrozenDictionary<string, Site> Sites, FrozenSet<string> Origins)
    {
        public static readonly Snapshot Empty = new(FrozenDictionary<string, Site>.Empty, FrozenSet<string>.Empty);
    }
}
