using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Access;
using Moderation.Data.Audit;

namespace Moderation.Cli.Commands;

/// <summary>
/// `moderation keys create|list|revoke`: API keys for the moderation and admin APIs, straight in the database the services
/// use (ConnectionStrings:postgres or :sqlite, from --postgres / --sqlite or the environment). A new key is printed once.
/// </summary>
internal static class KeysCommand
{
    public const string Actor = "cli";

    public static Command Create() => new("keys", "API keys for the moderation and admin APIs.") { CreateKey(), ListKeys(), RevokeKey() };

    private static Command CreateKey()
    {
        var name = new Option<string>("--name") { Description = "Whose key it is (\"Sam, night desk\"); the audit log's who.", Required = true };
        var role = new Option<string>("--role") { Description = "moderator or admin.", Required = true };
        role.AcceptOnlyFromAmong("moderator", "admin");
        var sites = new Option<string[]>("--site") { Description = "A site the key may act on (repeatable). Default: every site." };
        var database = new DatabaseOptions("", canCreate: true);
        var command = new Command("create", "Create an API key and print it, alone, on standard output (shown this once; only its hash is stored).")
            { name, role, sites };
        database.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var keyName = r.GetRequiredValue(name).Trim();
            if (keyName.Length is 0 or > 200) throw new UserError("--name must be 1 to 200 characters.");
            var wanted = (r.GetValue(sites) ?? []).Select(s => s.Trim()).Distinct(StringComparer.Ordinal).ToList();
            await using var db = await database.OpenAsync(r, migrate: true, ct);
            var known = await db.Sites.Where(s => wanted.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
            if (wanted.Except(known).ToList() is { Count: > 0 } unknown)
                throw new UserError($"unknown site(s): {string.Join(", ", unknown)}. Nothing was created.");

            var staffRole = r.GetRequiredValue(role) == "admin" ? StaffRole.Admin : StaffRole.Moderator;
            var (secret, key) = ApiKeys.New(keyName, staffRole, wanted, Actor, DateTime.UtcNow);
            db.ApiKeys.Add(key);
            db.Audit.Add(AuditEntry.Of(key.CreatedAt, Actor, "key.create", "key", key.Id.ToString(), null, null, KeyView.Of(key)));
            await db.SaveChangesAsync(ct);
            await r.InvocationConfiguration.Error.WriteLineAsync(
                $"Created {KeyView.RoleName(staffRole)} key '{key.Name}' (id {key.Id}, sites: {(wanted.Count == 0 ? "all" : string.Join(", ", wanted))}). It is shown this once:");
            await r.InvocationConfiguration.Output.WriteLineAsync(secret);
            return CliApp.Ok;
        });
        return command;
    }

    private static Command ListKeys()
    {
        var json = new Option<bool>("--json") { Description = "A JSON array, as the admin API lists keys." };
        var database = new DatabaseOptions("", canCreate: false);
        var command = new Command("list", "List the API keys, revoked ones included (never a secret: the prefix tells keys apart).") { json };
        database.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            await using var db = await database.OpenAsync(r, migrate: false, ct);
            var keys = (await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(ct)).Select(KeyView.Of).ToList();
            var output = r.InvocationConfiguration.Output;
            if (r.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(keys, JsonSerializerOptions.Web));
                return CliApp.Ok;
            }
            string[] header = ["ID", "NAME", "PREFIX", "ROLE", "SITES", "CREATED", "LAST USED", "REVOKED"];
            var rows = keys.Select(k => new[]
            {
                k.Id.ToString(), k.Name, k.Prefix, k.Role, k.Sites.Count == 0 ? "all" : string.Join(",", k.Sites),
                Time(k.CreatedAt), k.LastUsedAt is { } used ? Time(used) : "never", k.RevokedAt is { } revoked ? Time(revoked) : "-",
            }).ToList();
            var widths = header.Select((h, i) => rows.Select(row => row[i].Length).Append(h.Length).Max()).ToArray();
            foreach (var row in rows.Prepend(header))
                await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
            return CliApp.Ok;
        });
        return command;
    }

    private static Command RevokeKey()
    {
        var which = new Argument<string>("key") { Description = "The key's id, or its name when one key not yet revoked has it." };
        var database = new DatabaseOptions("", canCreate: false);
        var command = new Command("revoke",
            "Revoke an API key: the services refuse it within seconds (they cache a key for 5 s). Prints its id.") { which };
        database.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var given = r.GetRequiredValue(which).Trim();
            await using var db = await database.OpenAsync(r, migrate: false, ct);
            var matches = Guid.TryParse(given, out var id)
                ? await db.ApiKeys.Where(k => k.Id == id).ToListAsync(ct)
                : await db.ApiKeys.Where(k => k.Name == given).ToListAsync(ct);
            if (matches.Count == 0) throw new UserError($"no API key with the id or name '{given}' ('moderation keys list' shows them).");
            var active = matches.Where(k => k.RevokedAt is null).ToList();
            if (active.Count > 1)
                throw new UserError($"{active.Count} keys are named '{given}': revoke one by its id ({string.Join(", ", active.Select(k => k.Id))}).");
            var error = r.InvocationConfiguration.Error;
            if (active is [var key])
            {
                var before = KeyView.Of(key);
                key.RevokedAt = DateTime.UtcNow;
                db.Audit.Add(AuditEntry.Of(key.RevokedAt.Value, Actor, "key.revoke", "key", key.Id.ToString(), null, before, KeyView.Of(key)));
                await db.SaveChangesAsync(ct);
                await error.WriteLineAsync($"Revoked {before.Role} key '{key.Name}' (id {key.Id}); the services refuse it within 5 seconds.");
            }
            else
            {
                key = matches[0];
                await error.WriteLineAsync($"Key '{key.Name}' (id {key.Id}) was already revoked at {Time(key.RevokedAt!.Value)}.");
            }
            await r.InvocationConfiguration.Output.WriteLineAsync(key.Id.ToString());
            return CliApp.Ok;
        });
        return command;
    }

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
