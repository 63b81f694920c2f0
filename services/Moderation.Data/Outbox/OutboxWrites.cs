using Microsoft.EntityFrameworkCore;

namespace Moderation.Data.Outbox;

/// <summary>Adds events to the outbox inside the caller's transaction; they are published after its commit.</summary>
public static class OutboxWrites
{
    /// <summary>Tracked: saved by the caller's SaveChanges.</summary>
    public static void AddEvents(this ModerationDb db, IEnumerable<object> messages, DateTime now) =>
        db.Outbox.AddRange(messages.Select(m => OutboxMessage.For(m, now)));

    /// <summary>
    /// Many at once. On PostgreSQL one <c>INSERT … SELECT FROM unnest(arrays)</c> right away, like the bulk
    /// audit and label inserts; elsewhere tracked, for the caller's SaveChanges.
    /// </summary>
    public static async Task InsertEventsAsync(this ModerationDb db, IReadOnlyCollection<object> messages, DateTime now, CancellationToken ct)
    {
        if (messages.Count == 0) return;
        if (db is not PostgresModerationDb)
        {
            db.AddEvents(messages, now);
            return;
        }
        var rows = messages.Select(m => OutboxMessage.For(m, now)).ToList();
        var id = rows.Select(r => r.Id).ToArray();
        var type = rows.Select(r => r.MessageType).ToArray();
        var body = rows.Select(r => r.Body).ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO outbox_messages ("Id", "MessageType", "Body", "CreatedAt", "Attempts", "NextAttemptAt")
            SELECT i, t, b, {now}, 0, {now} FROM unnest({id}, {type}, {body}) AS u(i, t, b)
            """, ct);
    }
}
