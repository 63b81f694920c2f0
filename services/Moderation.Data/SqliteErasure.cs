using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Moderation.Data;

/// <summary>
/// What makes a delete on SQLite a real erasure. Without it a deleted row stays readable in the file's free space,
/// and in the write-ahead log (older versions of its pages) until the log is reused.
/// </summary>
public static class SqliteErasure
{
    /// <summary>Every connection overwrites what it deletes with zeros (<c>secure_delete</c> is per connection, so on every open).</summary>
    public sealed class SecureDelete : DbConnectionInterceptor
    {
        private const string Pragma = "PRAGMA secure_delete=ON;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
            CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Copies every page into the database file and empties the write-ahead log, whose older frames still hold the
    /// rows as they were before the delete. False when readers kept it from finishing: the log is emptied later.
    /// </summary>
    public static async Task<bool> EmptyWriteAheadLogAsync(ModerationDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (!await CheckpointBusyAsync(db.Database.GetDbConnection(), ct)) return true;
                if (attempt == 10) return false;
                await Task.Delay(50, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The pragma answers one row: busy (1 when a reader kept it from finishing), frames in the log, frames copied.</summary>
    private static async Task<bool> CheckpointBusyAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) != 0;
    }
}
