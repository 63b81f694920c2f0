using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Sites;
using Moderation.IntegrationTests.Infrastructure;

namespace Moderation.IntegrationTests;

/// <summary>
/// A compiled query on two models in one process (here PostgreSQL's and SQLite's, as in this test run): EF refuses
/// to run a plain one on the second model; the per-model one compiles again and runs on both.
/// </summary>
public sealed class CompiledPerModelTests
{
    [Fact]
    public async Task A_compiled_query_runs_on_each_model_it_meets()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("moderation-compiled-");
        try
        {
            await using var postgres = await WithSiteAsync(new PostgresModerationDb(new DbContextOptionsBuilder<PostgresModerationDb>()
                .UseNpgsql(database.ConnectionString()).Options), "on-postgres");
            await using var sqlite = await WithSiteAsync(new SqliteModerationDb(new DbContextOptionsBuilder<SqliteModerationDb>()
                .UseSqlite($"Data Source={Path.Combine(folder.FullName, "compiled.db")};Pooling=false").Options), "on-sqlite");

            var once = EF.CompileAsyncQuery((ModerationDb db, string id) => db.Sites.Where(s => s.Id == id));
            Assert.Single(await once(postgres, "on-postgres").ToListAsync());
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await once(sqlite, "on-sqlite").ToListAsync());

            var perModel = new CompiledPerModel<Func<ModerationDb, string, IAsyncEnumerable<Site>>>(() =>
                EF.CompileAsyncQuery((ModerationDb db, string id) => db.Sites.Where(s => s.Id == id)));
            Assert.Equal("on-postgres", Assert.Single(await perModel.For(postgres)(postgres, "on-postgres").ToListAsync()).Id);
            Assert.Equal("on-sqlite", Assert.Single(await perModel.For(sqlite)(sqlite, "on-sqlite").ToListAsync()).Id);
            Assert.Same(perModel.For(postgres), perModel.For(postgres));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<ModerationDb> WithSiteAsync(ModerationDb db, string id)
    {
        await db.Database.MigrateAsync();
        db.Sites.Add(new Site { Id = id, Name = id });
        await db.SaveChangesAsync();
        return db;
    }
}
