using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Moderation.Data;

namespace Moderation.IntegrationTests.Infrastructure;

/// <summary>A migrated, empty database of the test's own: on PostgreSQL ("postgres") or in a SQLite file ("sqlite").</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresDatabase? _postgres;
    private readonly DirectoryInfo _folder;

    private TestDatabase(PostgresDatabase? postgres, DirectoryInfo folder) => (_postgres, _folder) = (postgres, folder);

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        var store = new TestDatabase(provider == "postgres" ? await PostgresDatabase.CreateAsync() : null,
            Directory.CreateTempSubdirectory("moderation-db-"));
        await using var db = store.Open();
        await db.Database.MigrateAsync();
        return store;
    }

    /// <summary>A new context, configured as the services configure theirs (prepared statements on PostgreSQL).</summary>
    public ModerationDb Open(params IInterceptor[] interceptors) => _postgres is null
        ? new SqliteModerationDb(new DbContextOptionsBuilder<SqliteModerationDb>()
            .UseSqlite($"Data Source={Path.Combine(_folder.FullName, "moderation.db")};Pooling=false").AddInterceptors(interceptors).Options)
        : new PostgresModerationDb(new DbContextOptionsBuilder<PostgresModerationDb>()
            .UseNpgsql(DataExtensions.WithAutoPrepare(_postgres.ConnectionString())).AddInterceptors(interceptors).Options);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
