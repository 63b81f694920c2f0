using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Access;
using Moderation.Data.Audit;

namespace Moderation.Cli.Commands;

/// <summary>
/// `moderation keys create`: an API key for the moderation and admin APIs, straight into the database the services use
/// (ConnectionStrings:postgres or :sqlite, from --postgres / --sqlite or the environment). The key is printed once.
/// </summary>
internal static class KeysCommand
{
    public const string Actor = "cli";

    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Whose key it is (\"Sam, night desk\"); the audit log's who.", Required = true };
        var role = new Option<string>("--role") { Description = "moderator or admin.", Required = true };
        role.AcceptOnlyFromAmong("moderator", "admin");
        var sites = new Option<string[]>("--site") { Description = "A site the key may act on (repeatable). Default: every site." };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string. Default: the ConnectionStrings__postgres environment variable." };
        var sqlite = new Option<string?>("--sqlite") { Description = "SQLite connection string (standalone). Default: the ConnectionStrings__sqlite environment variable." };
        var create = new Command("create", "Create an API key and print it (shown this once; only its hash is stored).") { name, role, sites, postgres, sqlite };
        create.SetAction(async (r, ct) =>
        {
            var error = r.InvocationConfiguration.Error;
            var keyName = r.GetRequiredValue(name).Trim();
            if (keyName.Length is 0 or > 200)
            {
                await error.WriteLineAsync("--name must be 1 to 200 characters.");
                return 2;
            }
            await using var db = OpenDatabase(r.GetValue(postgres), r.GetValue(sqlite), out var problem);
            if (db is null)
            {
                await error.WriteLineAsync(problem);
                return 2;
            }
            await db.Database.MigrateAsync(ct);
            var wanted = (r.GetValue(sites) ?? []).Select(s => s.Trim()).Distinct(StringComparer.Ordinal).ToList();
            var known = await db.Sites.Where(s => wanted.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
            if (wanted.Except(known).ToList() is { Count: > 0 } unknown)
            {
                await error.WriteLineAsync($"Unknown site(s): {string.Join(", ", unknown)}. Nothing was created.");
                return 2;
            }

            var staffRole = r.GetRequiredValue(role) == "admin" ? StaffRole.Admin : StaffRole.Moderator;
            var (secret, key) = ApiKeys.New(keyName, staffRole, wanted, Actor, DateTime.UtcNow);
            db.ApiKeys.Add(key);
            db.Audit.Add(new AuditEntry
            {
                At = key.CreatedAt,
                Actor = Actor,
                Action = "key.create",
                TargetType = "key",
                TargetId = key.Id.ToString(),
                After = JsonSerializer.Serialize(new
                {
                    key.Id, key.Name, key.Prefix, role = staffRole.ToString().ToLowerInvariant(), key.Sites, key.CreatedAt, key.CreatedBy,
                }, JsonSerializerOptions.Web),
            });
            await db.SaveChangesAsync(ct);
            await error.WriteLineAsync(
                $"Created {staffRole.ToString().ToLowerInvariant()} key '{key.Name}' (id {key.Id}, sites: {(wanted.Count == 0 ? "all" : string.Join(", ", wanted))}). It is shown this once:");
            await r.InvocationConfiguration.Output.WriteLineAsync(secret);
            return 0;
        });
        return new Command("keys", "API keys for the moderation and admin APIs.") { create };
    }

    /// <summary>The database named on the command line, else by the environment, PostgreSQL first as in the services.</summary>
    private static ModerationDb? OpenDatabase(string? postgres, string? sqlite, out string problem)
    {
        problem = "";
        if (string.IsNullOrWhiteSpace(postgres) && string.IsNullOrWhiteSpace(sqlite))
        {
            postgres = Environment.GetEnvironmentVariable("ConnectionStrings__postgres");
            if (string.IsNullOrWhiteSpace(postgres)) sqlite = Environment.GetEnvironmentVariable("ConnectionStrings__sqlite");
        }
        if (!string.IsNullOrWhiteSpace(postgres))
            return new PostgresModerationDb(new DbContextOptionsBuilder<PostgresModerationDb>().UseNpgsql(postgres).Options);
        if (!string.IsNullOrWhiteSpace(sqlite))
            return new SqliteModerationDb(new DbContextOptionsBuilder<SqliteModerationDb>().UseSqlite(sqlite).Options);
        problem = "No database: pass --postgres or --sqlite, or set ConnectionStrings__postgres or ConnectionStrings__sqlite as the services have it.";
        return null;
    }
}
