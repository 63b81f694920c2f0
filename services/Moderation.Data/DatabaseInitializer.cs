using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Data.Sites;

namespace Moderation.Data;

/// <summary>Applies migrations and upserts the configured sites before the service starts taking work.</summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<SiteSeedOptions> seed,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
                await db.Database.MigrateAsync(cancellationToken);
                if (db.Database.IsSqlite())
                    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                await SeedSitesAsync(db, cancellationToken);
                return;
            }
            catch (DbUpdateException ex) when (attempt < 3 && !TransientFailures.IsTransient(ex))
            {
                // Another instance starting at the same time seeded the same site first: look again.
                LogSeedRace(logger, ex.InnerException?.Message ?? ex.Message);
            }
            catch (Exception ex) when (TransientFailures.IsTransient(ex) && DateTime.UtcNow - started < GiveUpAfter)
            {
                LogDatabaseUnavailable(logger, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedSitesAsync(ModerationDb db, CancellationToken ct)
    {
        foreach (var wanted in seed.Value.SitesOrDemo())
        {
            var site = await db.Sites.FindAsync([wanted.Id], ct);
            if (site is null)
            {
                db.Sites.Add(wanted.ToSite());
            }
            else if (wanted.OverwriteOnStart)
            {
                db.Entry(site).CurrentValues.SetValues(wanted.ToSite());
            }
        }
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(LogLevel.Information, "Sites were seeded concurrently by another instance: {Error}")]
    private static partial void LogSeedRace(ILogger logger, string error);

    [LoggerMessage(LogLevel.Warning, "Database not reachable yet (attempt {Attempt}): {Error}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, int attempt, string error);
}
