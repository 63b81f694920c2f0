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
                await DatabaseMigration.MigrateAsync(db, cancellationToken);
                await SeedSitesAsync(db, cancellationToken);
                return;
            }
            catch (Exception ex) when (attempt < 5 && IsStartupRace(ex))
            {
                // Another instance starting at the same time migrated or seeded first: look again.
                LogStartupRace(logger, ex.InnerException?.Message ?? ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken);
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

    /// <summary>"Already exists" and unique violations: what two instances migrating one new database at once see.</summary>
    private static bool IsStartupRace(Exception ex) =>
        ex is DbUpdateException { InnerException: not null } && !TransientFailures.IsTransient(ex)
        || ex is Npgsql.PostgresException { SqlState: "42P07" or "23505" or "42710" or "42701" };

    [LoggerMessage(LogLevel.Information, "Another instance migrated or seeded at the same time: {Error}")]
    private static partial void LogStartupRace(ILogger logger, string error);

    [LoggerMessage(LogLevel.Warning, "Database not reachable yet (attempt {Attempt}): {Error}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, int attempt, string error);
}
