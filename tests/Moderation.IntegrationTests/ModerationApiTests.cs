using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.IntegrationTests.Infrastructure;

namespace Moderation.IntegrationTests;

/// <summary>Moderators' decisions and readers' reports on real PostgreSQL, RabbitMQ and Redis, seen from the read API.</summary>
public sealed class ModerationApiTests(DistributedSystem system) : IClassFixture<DistributedSystem>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Held_comment_approved_through_the_api_appears_on_the_read_api_within_a_second()
    {
        var thread = $"moderated/{Guid.NewGuid():N}";
        var submitted = await system.SubmitAsync(system.Comment($"Is the {DistributedSystem.HoldWord} on the river plan still going ahead?", thread));
        await Eventually.Until(() => system.StatusAsync(submitted), s => s == "awaitingModeration", "comment held", Soon);
        Assert.Empty((await system.ThreadAsync(thread)).Comments); // and cached so

        var queue = await system.Staff.GetFromJsonAsync<JsonObject>($"/api/v1/moderation/queues/held?siteId={system.SiteId}&threadId={Uri.EscapeDataString(thread)}");
        var item = queue!["items"]!.AsArray().Single()!;
        Assert.Contains("contains held word 'casino'", item["reasons"]!.AsArray().Select(r => (string?)r));
        var decided = await system.Staff.PostAsJsonAsync($"/api/v1/moderation/comments/{submitted.Id}/decision",
            new { decision = "approve", revision = (int)item["revision"]! });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var watch = Stopwatch.StartNew();

        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Any(c => c.Id == submitted.Id), "approved comment on the read API", WithinASecond);
        Assert.True(watch.Elapsed < WithinASecond, $"visible after {watch.Elapsed}");
        Assert.Equal("approved", await system.StatusAsync(submitted));
    }

    [Fact]
    public async Task Spam_decision_hides_a_published_comment_and_writes_a_training_label()
    {
        var thread = $"labelled/{Guid.NewGuid():N}";
        var submitted = await system.SubmitAsync(system.Comment("A friendly note about the library opening hours.", thread));
        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 1, "comment visible", Soon);

        var decided = await system.Staff.PostAsJsonAsync($"/api/v1/moderation/comments/{submitted.Id}/decision", new { decision = "spam" });

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 0, "spam gone from the read API", WithinASecond);
        Assert.Equal("Spam", await system.Database.ScalarAsync<string>($"select \"Kind\" from labels where \"CommentId\" = '{submitted.Id}'"));
        Assert.Equal(1L, await system.Database.ScalarAsync<long>($"select count(*) from audit_log where \"Action\" = 'comment.spam' and \"TargetId\" = '{submitted.Id}'"));
    }

    [Fact]
    public async Task Queue_filters_sorts_and_cursor_pages_on_postgresql()
    {
        var thread = $"paged/{Guid.NewGuid():N}";
        var start = DateTime.UtcNow.AddHours(-1);
        var stored = await StoreHeldAsync(thread, 25, i => start.AddSeconds(i / 2), i => i / 25.0,
            i => i % 5 == 0 ? "3 links (the site allows 2)" : "contains held word 'casino'");

        var newest = await PagesAsync($"queues/held?siteId={system.SiteId}&threadId={Uri.EscapeDataString(thread)}&limit=7");
        var byScore = await PagesAsync($"queues/held?siteId={system.SiteId}&threadId={Uri.EscapeDataString(thread)}&limit=4&sort=score");
        var links = await PagesAsync($"queues/held?siteId={system.SiteId}&threadId={Uri.EscapeDataString(thread)}&reason=link&minScore=0.1&sort=oldest");

        Assert.Equal(stored.OrderByDescending(c => c.SubmittedAt).ThenByDescending(c => c.Id).Select(c => c.Id), newest);
        Assert.Equal(stored.OrderByDescending(c => c.SpamScore).ThenByDescending(c => c.Id).Select(c => c.Id), byScore);
        Assert.Equal(stored.Where((c, i) => i % 5 == 0 && c.SpamScore >= 0.1).OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id).Select(c => c.Id), links);
    }

    [Fact]
    public async Task Bulk_approve_by_filter_of_hundreds_on_postgresql_publishes_them_all()
    {
        var thread = $"bulk/{Guid.NewGuid():N}";
        await StoreHeldAsync(thread, 300, i => DateTime.UtcNow.AddSeconds(-i), _ => 0.6, _ => "the site premoderates every comment");
        Assert.Equal(0, (await system.ThreadAsync(thread)).Count);

        var response = await system.Staff.PostAsJsonAsync("/api/v1/moderation/decisions/by-filter",
            new { decision = "approve", queue = "held", siteId = system.SiteId, threadId = thread });

        var result = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(300, (int?)result!["applied"]);
        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Count == 300, "300 approved comments on the read API", Soon);
        Assert.Equal(300L, await system.Database.ScalarAsync<long>(
            $"select count(*) from audit_log a join comments c on a.\"TargetId\" = c.\"Id\"::text where c.\"ThreadId\" = '{thread}' and a.\"Action\" = 'comment.approve'"));
        await Eventually.Until(() => OutboxRowsAsync(thread), n => n == 0, "the 300 published events' outbox rows deleted", Soon);
    }

    [Fact]
    public async Task Decision_made_while_the_broker_is_down_is_kept_in_the_outbox_and_published_when_it_is_back()
    {
        var thread = $"outbox/{Guid.NewGuid():N}";
        var held = (await StoreHeldAsync(thread, 1, _ => DateTime.UtcNow, _ => 0.6, _ => "the site premoderates every comment"))[0];
        Assert.Empty((await system.ThreadAsync(thread)).Comments); // and cached so

        // Every service that dispatches the outbox (the moderation API and ingestion) loses the broker.
        system.BrokerForModerationApi.Stop();
        system.BrokerForIngestion.Stop();
        try
        {
            var decided = await system.Staff.PostAsJsonAsync($"/api/v1/moderation/comments/{held.Id}/decision", new { decision = "approve", revision = 0 });
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
            Assert.Equal("Approved", await system.Database.ScalarAsync<string>($"select \"Status\" from comments where \"Id\" = '{held.Id}'"));
            Assert.Equal(1L, await OutboxRowsAsync(thread));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Empty((await system.ThreadAsync(thread)).Comments);
            Assert.Equal(1L, await OutboxRowsAsync(thread));
        }
        finally
        {
            system.BrokerForModerationApi.Start();
            system.BrokerForIngestion.Start();
        }

        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Any(c => c.Id == held.Id), "the approved comment on the read API once the broker is back", TimeSpan.FromSeconds(90));
        await Eventually.Until(() => OutboxRowsAsync(thread), n => n == 0, "the published event's outbox row deleted", Soon);
        // The tests after this one submit comments: wait for ingestion's own reconnection too.
        await Eventually.Until(() => system.Writer.PostAsJsonAsync("/api/v1/comments", system.Comment("Back after the outage.", thread)),
            r => r.StatusCode == HttpStatusCode.Accepted, "ingestion accepting again", TimeSpan.FromSeconds(45));
    }

    [Fact]
    public async Task Bulk_decision_whose_events_cannot_be_stored_changes_nothing_on_postgresql()
    {
        var thread = $"atomic/{Guid.NewGuid():N}";
        var held = await StoreHeldAsync(thread, 5, i => DateTime.UtcNow.AddSeconds(-i), _ => 0.6, _ => "the site premoderates every comment");
        // The database refuses this thread's outbox rows: the decision must not be stored without its events.
        var name = $"refuse_{Guid.NewGuid():N}";
        await system.Database.ScalarAsync<object>($$"""
            CREATE FUNCTION {{name}}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$;
            CREATE TRIGGER {{name}} BEFORE INSERT ON outbox_messages FOR EACH ROW WHEN (NEW."Body" LIKE '%{{thread}}%') EXECUTE FUNCTION {{name}}();
            """);

        var response = await system.Staff.PostAsJsonAsync("/api/v1/moderation/decisions", new { decision = "approve", ids = held.Select(c => c.Id) });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(5L, await system.Database.ScalarAsync<long>($"select count(*) from comments where \"ThreadId\" = '{thread}' and \"Status\" = 'Held' and \"Revision\" = 0"));
        Assert.Equal(0L, await system.Database.ScalarAsync<long>(
            $"select count(*) from audit_log a join comments c on a.\"TargetId\" = c.\"Id\"::text where c.\"ThreadId\" = '{thread}'"));
        Assert.Equal(0L, await OutboxRowsAsync(thread));
    }

    private Task<long> OutboxRowsAsync(string thread) =>
        system.Database.ScalarAsync<long>($"select count(*) from outbox_messages where \"Body\" like '%{thread}%'");

    [Fact]
    public async Task Reports_reaching_the_sites_threshold_hide_the_comment_from_the_read_api()
    {
        var thread = $"reported/{Guid.NewGuid():N}";
        var submitted = await system.SubmitAsync(system.Comment("The bridge closure is badly signposted on the east side.", thread));
        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 1, "comment visible", Soon);

        for (var reader = 1; reader <= 3; reader++)
        {
            var (status, body) = await ReportAsync(submitted.Id, $"192.0.2.{reader}");
            Assert.True(status == 202, $"report {reader}: {status} {body}");
        }

        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 0, "reported comment gone from the read API", WithinASecond);
        Assert.Equal("Held", await system.Database.ScalarAsync<string>($"select \"Status\" from comments where \"Id\" = '{submitted.Id}'"));
        var reported = await system.Staff.GetFromJsonAsync<JsonObject>($"/api/v1/moderation/queues/reported?siteId={system.SiteId}&threadId={Uri.EscapeDataString(thread)}");
        Assert.Equal(3, (int?)reported!["items"]![0]!["reportCount"]);
    }

    private async Task<(int Status, string Body)> ReportAsync(Guid id, string ip)
    {
        var context = await system.Ingestion.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = $"/api/v1/comments/{id}/reports";
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"reason":"abuse"}"""));
            c.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        });
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    private async Task<List<Guid>> PagesAsync(string path)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await system.Staff.GetFromJsonAsync<JsonObject>($"/api/v1/moderation/{path}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            ids.AddRange(page!["items"]!.AsArray().Select(i => Guid.Parse((string)i!["id"]!)));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);
        return ids;
    }

    private async Task<List<Comment>> StoreHeldAsync(string thread, int count, Func<int, DateTime> at, Func<int, double> score, Func<int, string> reason)
    {
        var comments = Enumerable.Range(0, count).Select(i => new Comment
        {
            Id = Guid.NewGuid(),
            SiteId = system.SiteId,
            ThreadId = thread,
            AuthorName = "Ada Reader",
            AuthorEmail = "ada@example.org",
            EmailHash = CommentMapping.HashEmail("ada@example.org"),
            Body = $"Held comment {i}",
            ClientIp = "192.0.2.50",
            SubmittedAt = DateTime.SpecifyKind(at(i), DateTimeKind.Utc),
            ScoredAt = DateTime.UtcNow,
            Status = CommentStatus.Held,
            SpamScore = score(i),
            Reasons = [reason(i)],
        }).ToList();
        await using var scope = system.ModerationApi.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        db.Comments.AddRange(comments);
        await db.SaveChangesAsync();
        return comments;
    }
}
