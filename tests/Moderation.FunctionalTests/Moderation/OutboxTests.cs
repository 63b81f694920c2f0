using System.Net;
using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data.Comments;
using Moderation.Data.Outbox;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;
using static Moderation.FunctionalTests.Infrastructure.StaffData;

namespace Moderation.FunctionalTests.Moderation;

/// <summary>
/// The outbox on SQLite: a decision's events are stored with it or not at all, and what an instance left unpublished
/// (it died after the commit) is published by the dispatcher's sweep.
/// </summary>
public sealed class OutboxTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _staff = app.StaffClient();
    private readonly CommentsClient _reader = new(app.CreateClient());

    [Fact]
    public async Task A_decision_whose_save_fails_leaves_neither_the_change_nor_its_event()
    {
        var thread = NewThread();
        var comment = await app.StoreAsync(Scored(thread, CommentStatus.Held));
        // The database refuses this comment's audit entry: the last write of the decision's transaction.
        var refuse = $"""
            CREATE TRIGGER refuse_{comment.Id:N} BEFORE INSERT ON audit_log WHEN NEW."TargetId" = '{comment.Id}'
            BEGIN SELECT RAISE(ABORT, 'audit refused'); END
            """; // a trigger takes no parameters; the id is a Guid
        await app.QueryAsync(db => db.Database.ExecuteSqlRawAsync(refuse));

        var response = await _staff.DecideAsync(comment.Id, "approve", revision: 0);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var stored = (await app.FindCommentAsync(comment.Id))!;
        Assert.Equal((CommentStatus.Held, 0, null), (stored.Status, stored.Revision, stored.DecidedBy));
        Assert.Equal(0, await OutboxRowsAboutAsync(comment.Id));
        Assert.Equal(0, await app.AuditCountAsync("comment.approve", comment.Id));
        Assert.Empty(IdsOf((await _reader.GetThreadAsync(thread)).Json!));
    }

    [Fact]
    public async Task A_decision_stores_its_event_and_the_dispatcher_publishes_and_deletes_it()
    {
        var thread = NewThread();
        var comment = await app.StoreAsync(Scored(thread, CommentStatus.Held));
        Assert.Empty(IdsOf((await _reader.GetThreadAsync(thread)).Json!)); // and cached so

        await (await _staff.DecideAsync(comment.Id, "approve", revision: 0)).OkJsonAsync();

        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Contains(comment.Id), "the approved comment on the read side", TimeSpan.FromSeconds(1));
        await Eventually.Until(() => OutboxRowsAboutAsync(comment.Id), n => n == 0, "the published event's row to be deleted", TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task An_event_left_unpublished_by_a_dead_instance_is_published_by_the_sweep()
    {
        var thread = NewThread();
        var comment = await app.StoreAsync(Scored(thread, CommentStatus.Held));
        Assert.Empty(IdsOf((await _reader.GetThreadAsync(thread)).Json!)); // and cached so

        // What an instance that died between its commit and its publish leaves: the approved comment and its event.
        await app.QueryAsync(async db =>
        {
            await db.Comments.Where(c => c.Id == comment.Id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CommentStatus.Approved).SetProperty(c => c.PublishedAt, DateTime.UtcNow));
            db.AddEvents([new CommentPublished(comment.Id, comment.SiteId, thread, null, DateTime.UtcNow)], DateTime.UtcNow);
            return await db.SaveChangesAsync();
        });

        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Contains(comment.Id), "the swept event to refresh the read side", TimeSpan.FromSeconds(5));
        await Eventually.Until(() => OutboxRowsAboutAsync(comment.Id), n => n == 0, "the swept row to be deleted", TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_row_that_cannot_be_published_is_kept_with_its_error_and_does_not_hold_up_the_others()
    {
        var broken = new OutboxMessage { Id = Guid.NewGuid(), MessageType = "NoSuchEvent", Body = "{}", CreatedAt = DateTime.UtcNow.AddMinutes(-1), NextAttemptAt = DateTime.UtcNow.AddMinutes(-1) };
        await app.QueryAsync(db =>
        {
            db.Outbox.Add(broken);
            return db.SaveChangesAsync();
        });

        var kept = await Eventually.Until(() => app.QueryAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.Id == broken.Id)),
            m => m.Attempts > 0, "the failed attempt to be recorded");
        Assert.Contains("Unknown message type 'NoSuchEvent'", kept.LastError);
        Assert.True(kept.NextAttemptAt > DateTime.UtcNow, "tried again later, not in a loop");

        // Others still flow.
        var thread = NewThread();
        var comment = await app.StoreAsync(Scored(thread, CommentStatus.Approved, 0.2));
        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Contains(comment.Id), "the comment, cached by the read side");
        await (await _staff.DecideAsync(comment.Id, "delete")).OkJsonAsync();
        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Count == 0, "the deleted comment to leave the read side", TimeSpan.FromSeconds(1));
    }

    private Task<int> OutboxRowsAboutAsync(Guid commentId) =>
        app.QueryAsync(db => db.Outbox.CountAsync(m => m.Body.Contains(commentId.ToString())));
}
