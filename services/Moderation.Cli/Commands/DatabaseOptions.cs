using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Moderation.Data;
using Npgsql;

namespace Moderation.Cli.Commands;

/// <summary>
/// --postgres / --sqlite (else ConnectionStrings__postgres / __sqlite from the environment, PostgreSQL first, as the
/// services read them) and, where a command may make a database, --create. A database that is not there is an error
/// unless --create says to make it: a mistyped path must not become a new, empty database.
/// </summary>
internal sealed class DatabaseOptions
{
    private readonly Option<bool>? _create;

    public DatabaseOptions(string purpose, bool canCreate)
    {
        Postgres = new("--postgres") { Description = $"{purpose}PostgreSQL connection string. Default: the ConnectionStrings__postgres environment variable." };
        Sqlite = new("--sqlite")
        {
            Description = $"{purpose}SQLite database: its file (data/moderation.db) or a connection string (\"Data Source=data/moderation.db\"). " +
                          "Default: the ConnectionStrings__sqlite environment variable.",
        };
        if (canCreate) _create = new("--create") { Description = "Make the database if it does not exist (without it, a database that is not there is an error)." };
    }

    public Option<string?> Postgres { get; }
    public Option<string?> Sqlite { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Postgres);
        command.Options.Add(Sqlite);
        if (_create is not null) command.Options.Add(_create);
    }

    /// <summary>
    /// The database, brought to this build's schema through the services' locked migration when <paramref name="migrate"/>;
    /// otherwise it must already have the schema (a command that only reads does not write one).
    /// </summary>
    public async Task<ModerationDb> OpenAsync(ParseResult r, bool migrate, CancellationToken ct)
    {
        var postgres = r.GetValue(Postgres);
        var sqlite = r.GetValue(Sqlite);
        if (string.IsNullOrWhiteSpace(postgres) && string.IsNullOrWhiteSpace(sqlite))
        {
            postgres = Environment.GetEnvironmentVariable("ConnectionStrings__postgres");
            if (string.IsNullOrWhiteSpace(postgres)) sqlite = Environment.GetEnvironmentVariable("ConnectionStrings__sqlite");
        }
        var create = _create is not null && r.GetValue(_create);
        var (db, where) = !string.IsNullOrWhiteSpace(postgres) ? await OpenPostgresAsync(postgres, create, ct)
            : !string.IsNullOrWhiteSpace(sqlite) ? OpenSqlite(sqlite, create)
            : throw new UserError("no database: pass --postgres or --sqlite, or set ConnectionStrings__postgres or ConnectionStrings__sqlite as the services have it.");
        try
        {
            if (migrate) await DatabaseMigration.MigrateAsync(db, ct);
            else if (!(await db.Database.GetAppliedMigrationsAsync(ct)).Any())
                throw new UserError($"{where} has no Moderation tables yet: start a service on it first (or create a key, which makes them).");
            return db;
        }
        catch (Exception ex) when (ex is SqliteException { SqliteErrorCode: 26 }) // SQLITE_NOTADB
        {
            await db.DisposeAsync();
            throw new UserError($"{where} is not a SQLite database.", ex);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private static (ModerationDb, string) OpenSqlite(string given, bool create)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(given.Contains('=') ? given : $"Data Source={given}");
        }
        catch (ArgumentException ex)
        {
            throw new UserError($"--sqlite: not a file or a SQLite connection string ({ex.Message}).", ex);
        }
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
            throw new UserError("--sqlite names no database file.");
        var file = Path.GetFullPath(builder.DataSource);
        var where = $"the SQLite database {file}";
        if (Directory.Exists(file)) throw new UserError($"{file} is a folder, not a database file.");
        if (!File.Exists(file))
        {
            if (!create) throw new UserError($"no database at {file}; pass --create to make one.");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }
        builder.DataSource = file;
        return (new SqliteModerationDb(new DbContextOptionsBuilder<SqliteModerationDb>().UseSqlite(builder.ConnectionString).Options), where);
    }

    private static async Task<(ModerationDb, string)> OpenPostgresAsync(string given, bool create, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(given);
        }
        catch (ArgumentException ex)
        {
            throw new UserError($"--postgres: not a PostgreSQL connection string ({ex.Message}).", ex);
        }
        var where = $"the PostgreSQL database '{builder.Database ?? builder.Username}' on {builder.Host ?? "localhost"}:{builder.Port}";
        var db = new PostgresModerationDb(new DbContextOptionsBuilder<PostgresModerationDb>().UseNpgsql(given).Options);
        try
        {
            if (!await ExistsAsync(given, where, ct))
            {
                if (!create) throw new UserError($"no database at {where}; pass --create to make one.");
                try
                {
                    await db.GetService<IRelationalDatabaseCreator>().CreateAsync(ct);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
                {
                    // Made by another process in the meantime: as good.
                }
            }
            return (db, where);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private static async Task<bool> ExistsAsync(string connectionString, string where, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return false;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new UserError($"cannot reach {where}: {ex.Message}", ex);
        }
    }
}
