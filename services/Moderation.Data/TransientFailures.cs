using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Moderation.Data;

/// <summary>Tells an outage (retry until it is over) from a bad message (fail fast to the error queue).</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case NpgsqlException npgsql when npgsql.IsTransient:
                case NpgsqlException { InnerException: SocketException or IOException or TimeoutException }:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" }:
                case SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED
                case SocketException:
                case TimeoutException:
                    return true;
                case DbException:
                    return false;
            }
        }
        return false;
    }
}
