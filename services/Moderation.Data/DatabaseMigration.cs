using Microsoft.EntityFrameworkCore;

namespace Moderation.Data;

/// <summary>
/// The one way to bring a database to this build's schema: the services at start and the CLI both come here, so two
/// of them meeting on a new database take turns instead of both running the same DDL.
/// </summary>
public static class DatabaseMigration
{
    /// <summary>Key of the session lock that lets one process at a time migrate a PostgreSQL database.</summary>
    private const long LockKey = 0x4D6F64657261; // "Modera"

    /// <summary>
    /// On PostgreSQL, under a session advisory lock: the first migrates, the others wait and then find nothing left to
    /// do (EF's own history lock does not cover a migration's DDL). On SQLite, EF's migration lock, then WAL mode.
    /// </summary>
    public static async Task MigrateAsync(ModerationDb db, CancellationToken ct = default)
    {
        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(ct);
            if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            return;
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey})", ct);
            await db.Database.MigrateAsync(ct);
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }
}
