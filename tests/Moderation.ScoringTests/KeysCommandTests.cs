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
        var (code, output, error) = await Run("keys", "create", "--name", "Sam, night desk", "--role", "admin", "--sqlite", Sqlite, "--create");

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
        Assert.Equal(0, (await Run("keys", "create", "--name", "first", "--role", "admin", "--sqlite", Sqlite, "--create")).Code); // creates the schema
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

    [Fact]
    public async Task A_database_that_is_not_there_is_made_only_with_create()
    {
        var file = Path.Combine(_dir.Path, "new", "folder", "moderation.db");

        var (refused, refusedOutput, refusedError) = await Run("keys", "create", "--name", "Ops", "--role", "admin", "--sqlite", file);
        Assert.Equal(2, refused);
        Assert.Equal("", refusedOutput);
        Assert.Equal($"moderation: no database at {file}; pass --create to make one.", refusedError.Trim());
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "new")));

        var (made, key, _) = await Run("keys", "create", "--name", "Ops", "--role", "admin", "--sqlite", file, "--create");
        Assert.Equal(0, made);
        Assert.True(File.Exists(file));
        var (again, _, againError) = await Run("keys", "create", "--name", "Desk", "--role", "moderator", "--sqlite", file); // there now: no --create needed
        Assert.True(again == 0, againError);
        var (listed, list, _) = await Run("keys", "list", "--sqlite", file);
        Assert.Equal(0, listed);
        Assert.Contains(key.Trim()[..10], list);
    }

    [Fact]
    public async Task List_shows_every_key_with_its_role_sites_and_dates_and_never_a_secret()
    {
        var ops = await CreateKey("Ops", "admin");
        await using (var db = Open())
        {
            db.Sites.Add(new Site { Id = "daily", Name = "Daily" });
            await db.SaveChangesAsync();
        }
        var desk = await CreateKey("Desk", "moderator", "--site", "daily");
        await using (var db = Open())
        {
            var stored = await db.ApiKeys.SingleAsync(k => k.Name == "Desk");
            stored.LastUsedAt = new DateTime(2026, 12, 1, 9, 30, 0, DateTimeKind.Utc);
            await db.SaveChangesAsync();
        }

        var (code, table, error) = await Run("keys", "list", "--sqlite", Sqlite);
        var (jsonCode, json, _) = await Run("keys", "list", "--sqlite", Sqlite, "--json");

        Assert.True(code == 0, error);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^ID\s+NAME\s+PREFIX\s+ROLE\s+SITES\s+CREATED\s+LAST USED\s+REVOKED$", lines[0].Trim());
        Assert.Matches($@"^[0-9a-f-]{{36}}\s+Ops\s+{ops[..10]}\s+admin\s+all\s+\d{{4}}-\d\d-\d\d \d\d:\d\dZ\s+never\s+-$", lines[1].Trim());
        Assert.Matches(@"\s+Desk\s+.*moderator\s+daily\s+.*2026-12-01 09:30Z\s+-$", lines[2].Trim());
        Assert.Equal(0, jsonCode);
        using var parsed = System.Text.Json.JsonDocument.Parse(json);
        var first = parsed.RootElement[0];
        Assert.Equal(2, parsed.RootElement.GetArrayLength());
        Assert.Equal(("Ops", "admin", ops[..10]), (first.GetProperty("name").GetString(), first.GetProperty("role").GetString(), first.GetProperty("prefix").GetString()));
        Assert.Equal("daily", parsed.RootElement[1].GetProperty("sites")[0].GetString());
        foreach (var secret in new[] { ops, desk })
        {
            Assert.DoesNotContain(secret, table);
            Assert.DoesNotContain(secret, json);
        }
    }

    [Fact]
    public async Task Revoke_by_name_or_id_marks_the_key_revoked_with_an_audit_entry()
    {
        await CreateKey("Desk", "moderator");
        await CreateKey("Night", "moderator");
        await CreateKey("Night", "moderator");
        Guid nightId;
        await using (var db = Open()) nightId = (await db.ApiKeys.FirstAsync(k => k.Name == "Night")).Id;

        var (byName, deskId, byNameError) = await Run("keys", "revoke", "Desk", "--sqlite", Sqlite);
        var (ambiguous, _, ambiguousError) = await Run("keys", "revoke", "Night", "--sqlite", Sqlite);
        var (byId, idOutput, _) = await Run("keys", "revoke", nightId.ToString(), "--sqlite", Sqlite);
        var (twice, _, twiceError) = await Run("keys", "revoke", "Desk", "--sqlite", Sqlite);
        var (unknown, _, unknownError) = await Run("keys", "revoke", "Nobody", "--sqlite", Sqlite);

        Assert.True(byName == 0, byNameError);
        Assert.Equal(2, ambiguous);
        Assert.Contains("2 keys are named 'Night'", ambiguousError);
        Assert.Equal((0, nightId.ToString()), (byId, idOutput.Trim()));
        Assert.Equal(0, twice);
        Assert.Contains("already revoked", twiceError);
        Assert.Equal(2, unknown);
        Assert.Contains("no API key with the id or name 'Nobody'", unknownError);
        await using var check = Open();
        var desk = await check.ApiKeys.SingleAsync(k => k.Name == "Desk");
        Assert.Equal(desk.Id.ToString(), deskId.Trim());
        Assert.NotNull(desk.RevokedAt);
        Assert.Equal(1, await check.ApiKeys.CountAsync(k => k.Name == "Night" && k.RevokedAt == null));
        var audit = await check.Audit.Where(a => a.Action == "key.revoke").ToListAsync();
        Assert.Equal(2, audit.Count); // not again for a key already revoked
        Assert.Contains(audit, a => a.TargetId == desk.Id.ToString() && a.Actor == "cli" && a.Before!.Contains("\"revokedAt\":null") && !a.After!.Contains("\"revokedAt\":null"));
    }

    [Fact]
    public async Task The_installed_command_prints_only_the_key_on_standard_output()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "moderation.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { cli, "keys", "create", "--name", "Ops", "--role", "admin", "--sqlite", Path.Combine(_dir.Path, "moderation.db"), "--create" })
            start.ArgumentList.Add(a);
        start.Environment.Remove("ConnectionStrings__postgres");

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await error);
        Assert.Matches("^mk_[A-Za-z0-9_-]{43}\n$", await output);
        Assert.Contains("It is shown this once", await error);
    }

    private async Task<string> CreateKey(string name, string role, params string[] more)
    {
        var (code, output, error) = await Run(["keys", "create", "--name", name, "--role", role, "--sqlite", Sqlite, "--create", .. more]);
        Assert.True(code == 0, error);
        return output.Trim();
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
