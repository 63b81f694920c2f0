using Microsoft.EntityFrameworkCore;

namespace Moderation.Data.Reputation;

/// <summary>Spam and ham votes to add to (or, negative, take from) one domain's row on one scope.</summary>
public sealed record DomainCount(string Domain, string Scope, int Spam, int Ham);

/// <summary>
/// Moves the counters of <c>domain_reputation</c> in the caller's transaction: missing rows are created, the counts
/// added and never taken below zero (a row an admin cleared may still be owed a vote taken back). Concurrent
/// decisions on the same domains serialise on the rows, locked in key order so that two of them cannot deadlock.
/// </summary>
public static class DomainCounts
{
    public static async Task AddAsync(this ModerationDb db, IEnumerable<DomainCount> counts, DateTime at, CancellationToken ct)
    {
        var rows = counts.GroupBy(c => (c.Domain, c.Scope))
            .Select(g => new DomainCount(g.Key.Domain, g.Key.Scope, g.Sum(c => c.Spam), g.Sum(c => c.Ham)))
            .Where(c => c.Spam != 0 || c.Ham != 0)
            .OrderBy(c => c.Domain, StringComparer.Ordinal).ThenBy(c => c.Scope, StringComparer.Ordinal)
            .ToList();
        if (rows.Count == 0) return;

        if (db is PostgresModerationDb)
        {
            var domain = rows.Select(r => r.Domain).ToArray();
            var scope = rows.Select(r => r.Scope).ToArray();
            var spam = rows.Select(r => r.Spam).ToArray();
            var ham = rows.Select(r => r.Ham).ToArray();
            var added = rows.Where(Adds).ToList();
            var newDomain = added.Select(r => r.Domain).ToArray();
            var newScope = added.Select(r => r.Scope).ToArray();
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO domain_reputation ("Domain", "Scope", "SpamCount", "HamCount", "Override")
                SELECT u.d, u.s, 0, 0, {nameof(DomainOverride.None)} FROM unnest({newDomain}, {newScope}) AS u(d, s) ORDER BY u.d, u.s
                ON CONFLICT ("Domain", "Scope") DO NOTHING;
                SELECT 1 FROM domain_reputation
                WHERE ("Domain", "Scope") IN (SELECT * FROM unnest({domain}, {scope}))
                ORDER BY "Domain", "Scope" FOR UPDATE;
                UPDATE domain_reputation r
                SET "SpamCount" = GREATEST(0, r."SpamCount" + u.spam), "HamCount" = GREATEST(0, r."HamCount" + u.ham), "LastSeenAt" = {at}
                FROM unnest({domain}, {scope}, {spam}, {ham}) AS u(d, s, spam, ham)
                WHERE r."Domain" = u.d AND r."Scope" = u.s;
                """, ct);
            return;
        }

        // SQLite (the one-process standalone host): a writer holds the whole database, so a statement per row is enough.
        foreach (var r in rows)
        {
            if (Adds(r)) await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO domain_reputation ("Domain", "Scope", "SpamCount", "HamCount", "Override")
                VALUES ({r.Domain}, {r.Scope}, 0, 0, {nameof(DomainOverride.None)})
                ON CONFLICT ("Domain", "Scope") DO NOTHING;
                """, ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE domain_reputation
                SET "SpamCount" = max(0, "SpamCount" + {r.Spam}), "HamCount" = max(0, "HamCount" + {r.Ham}), "LastSeenAt" = {at}
                WHERE "Domain" = {r.Domain} AND "Scope" = {r.Scope};
                """, ct);
        }
    }

    /// <summary>Only a vote added makes a row: taking one back from a row an admin cleared leaves nothing to keep.</summary>
    private static bool Adds(DomainCount c) => c.Spam > 0 || c.Ham > 0;
}
