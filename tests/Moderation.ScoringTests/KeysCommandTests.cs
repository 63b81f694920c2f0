using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Moderation.Cli;
using Moderation.Data;
using Moderation.Data.Access;
using Moderation.Data.Sites;

namespace Moderation.ScoringTests;

/// <summary>`moderation keys create` against a SQLite database of its own, as a fresh standalone install has.</summary>
public sealed class KeysCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Sqlite => $"Data Source={Path.Combine(_dir.Path, "moderation.db")}";

    private SqliteModerationDb Open() => new(new DbContextOptionsBuilder<SqliteModerationDb>().UseSqlite(Sqlite).Options);

    [Fact]
    public async Task Creates_a_key_prints_it_once_and_stores_only_its_hash_with_an_audit_entry()
    {
        var (code, output, error) = await Run("keys", "create", "--name", "Sam, night desk", "--role", "admin", "--sqlite", Sqlite);

        Assert.True(code == 0, error);
        var key = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        Assert.StartsWith("mk_", key);
        Assert.Contains("shown this once", error);
        await using var db = Open();
        var stored = await db.ApiKeys.SingleAsync();
        Assert.Equal(ApiKeySecrets.Hash(key), stored.KeyHash);
        Assert.Equal("Sam, night desk", stored.Name);
        Assert.Equal(StaffRole.Admin, stored.Role);
        Assert.Empty(stored.Sites);
        Assert.Equal(key[..10], stored.Prefix);
        var audit = await db.Audit.SingleAsync();
        Assert.Equal(("cli", "key.create", stored.Id.ToString()), (audit.Actor, audit.Action, audit.TargetId));
        Assert.DoesNotContain(key, audit.After);
    }

    [Fact]
    public async Task Site_scoped_moderator_key_names_existing_sites_only()
    {
        Assert.Equal(0, (await Run("keys", "create", "--name", "first", "--role", "admin", "--sqlite", Sqlite)).Code); // creates the schema
        await using (var db = Open())
        {
            db.Sites.Add(new Site { Id = "daily", Name = "Daily" });
            await db.SaveChangesAsync();
        }

        var (unknownCode, _, unknownError) = await Run("keys", "create", "--name", "x", "--role", "moderator", "--site", "daily", "--site", "nope", "--sqlite", Sqlite);
        Assert.Equal(2, unknownCode);
        Assert.Contains("nope", unknownError);

        var (code, output, _) = await Run("keys", "create", "--name", "desk", "--role", "moderator", "--site", "daily", "--sqlite", Sqlite);
        Assert.Equal(0, code);
        await using var check = Open();
        var stored = await check.ApiKeys.SingleAsync(k => k.Name == "desk");
        Assert.Equal(StaffRole.Moderator, stored.Role);
        Assert.Equal(["daily"], stored.Sites);
        Assert.Equal(ApiKeySecrets.Hash(output.Trim()), stored.KeyHash);
        Assert.Equal(2, await check.ApiKeys.CountAsync());
    }

    [Theory]
    [InlineData("--name", "x", "--role", "superuser")]
    [InlineData("--role", "admin")]
    [InlineData("--name", " ", "--role", "admin")]
    public async Task Bad_arguments_fail_and_create_nothing(params string[] args)
    {
        var (code, output, _) = await Run(["keys", "create", .. args, "--sqlite", Sqlite]);

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("mk_", output);
        if (File.Exists(Path.Combine(_dir.Path, "moderation.db")))
        {
            await using var db = Open();
            Assert.False(await db.ApiKeys.AnyAsync());
        }
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
