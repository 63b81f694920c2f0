using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Contracts;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.ServiceDefaults;

namespace Moderation.IntegrationTests;

/// <summary>The whole distributed pipeline on real RabbitMQ, PostgreSQL and Redis.</summary>
public sealed class DistributedPipelineTests(DistributedSystem system) : IClassFixture<DistributedSystem>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Submitted_comment_is_scored_stored_and_visible_in_the_read_api()
    {
        var thread = $"visible/{Guid.NewGuid():N}";
        var watch = Stopwatch.StartNew();
        var submitted = await system.SubmitAsync(system.Comment("Good reporting, thank you for covering the vote.", thread));

        var view = await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Any(c => c.Id == submitted.Id), "comment visible", Soon);
        watch.Stop();

        Assert.Equal("Good reporting, thank you for covering the vote.", view.Comments.Single().Body);
        Assert.Equal(1, view.Count);
        Assert.Equal("approved", await system.StatusAsync(submitted));
        Assert.Equal("Approved", await system.Database.ScalarAsync<string>($"select \"Status\" from comments where \"Id\" = '{submitted.Id}'"));
        Assert.Equal("ada@example.org", await system.Database.ScalarAsync<string>($"select \"AuthorEmail\" from comments where \"Id\" = '{submitted.Id}'"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"visible after {watch.Elapsed}");
    }

    [Fact]
    public async Task Metrics_and_readiness_describe_the_running_services()
    {
        await system.SubmitAsync(system.Comment("Counted by the metrics.", $"metrics/{Guid.NewGuid():N}"));

        var metrics = await system.Writer.GetStringAsync("/metrics");
        var ready = await system.Reader.GetStringAsync("/health/ready");

        Assert.Matches($"moderation_comments_accepted_total{{site=\"{system.SiteId}\"}} [1-9]", metrics);
        Assert.Contains("\"database\":{\"status\":\"Healthy\"", ready);
        Assert.Contains("\"cache\":{\"status\":\"Healthy\"", ready);
        Assert.Contains("masstransit", ready);
    }

    [Fact]
    public async Task Read_api_never_returns_email_ip_or_user_agent()
    {
        var thread = $"private/{Guid.NewGuid():N}";
        var submitted = await system.SubmitAsync(system.Comment("A perfectly ordinary comment about the park.", thread));
        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 1, "comment visible", Soon);

        var json = await system.Reader.GetStringAsync($"/api/v1/comments?siteId={system.SiteId}&threadId={Uri.EscapeDataString(thread)}");

        Assert.Contains(submitted.Id.ToString(), json);
        Assert.DoesNotContain("ada@example.org", json);
        Assert.DoesNotContain("email", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("userAgent", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ip", json.Replace("siteId", "").Replace("threadId", "").Replace("parentId", ""), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Held_comment_is_stored_but_not_shown()
    {
        var thread = $"held/{Guid.NewGuid():N}";
        var submitted = await system.SubmitAsync(system.Comment($"Try the new {DistributedSystem.HoldWord} in town tonight", thread));

        await Eventually.Until(() => system.StatusAsync(submitted), s => s != "pending", "comment scored", Soon);

        Assert.Equal("awaitingModeration", await system.StatusAsync(submitted));
        Assert.Equal("Held", await system.Database.ScalarAsync<string>($"select \"Status\" from comments where \"Id\" = '{submitted.Id}'"));
        Assert.Empty((await system.ThreadAsync(thread)).Comments);
    }

    [Fact]
    public async Task Redelivered_submission_is_stored_once()
    {
        var thread = $"redelivery/{Guid.NewGuid():N}";
        var message = new CommentSubmitted(NewId.NextGuid(), system.SiteId, thread, null, null, null, "Bo", "bo@example.org", null,
            "Delivered twice by the broker.", DateTime.UtcNow, "127.0.0.1", null, null, null, false, null);
        var bus = system.Ingestion.Services.GetRequiredService<IBus>();
        var queue = await bus.GetSendEndpoint(new Uri($"queue:{QueueNames.Scoring}"));

        await queue.Send(message);
        await queue.Send(message);
        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count > 0, "comment visible", Soon);
        await Eventually.Until(() => system.Broker.MessagesInAsync(QueueNames.Scoring), n => n == 0, "queue drained", Soon);
        await Task.Delay(500);

        Assert.Equal(1L, await system.Database.ScalarAsync<long>($"select count(*) from comments where \"Id\" = '{message.CommentId}'"));
        Assert.Single((await system.ThreadAsync(thread)).Comments);
    }

    [Fact]
    public async Task Message_that_cannot_be_scored_goes_to_the_error_queue_not_nowhere()
    {
        var message = new CommentSubmitted(NewId.NextGuid(), "no-such-site", "t", null, null, null, "Bo", "bo@example.org", null,
            "For a site nobody configured.", DateTime.UtcNow, null, null, null, null, false, null);
        var bus = system.Ingestion.Services.GetRequiredService<IBus>();

        await (await bus.GetSendEndpoint(new Uri($"queue:{QueueNames.Scoring}"))).Send(message);

        await Eventually.Until(() => system.Broker.MessagesInAsync($"{QueueNames.Scoring}_error"), n => n >= 1, "message in the error queue", TimeSpan.FromSeconds(30));
        Assert.Equal(0L, await system.Database.ScalarAsync<long>($"select count(*) from comments where \"Id\" = '{message.CommentId}'"));
    }

    [Fact]
    public async Task Reads_are_served_from_the_database_while_redis_is_down()
    {
        var thread = $"redis-down/{Guid.NewGuid():N}";
        var first = await system.SubmitAsync(system.Comment("Before the cache went away.", thread));
        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 1, "first comment visible", Soon);

        system.CacheForReadApi.Stop();
        try
        {
            var second = await system.SubmitAsync(system.Comment("While the cache is away.", thread));
            var view = await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 2, "second comment visible without Redis", Soon);
            Assert.Equal([first.Id, second.Id], view.Comments.Select(c => c.Id));
            var ready = await system.Reader.GetStringAsync("/health/ready");
            Assert.Contains("Degraded", ready);
        }
        finally
        {
            system.CacheForReadApi.Start();
        }

        // Back on the cache, and still fresh: the invalidation missed while Redis was away is retried.
        var third = await system.SubmitAsync(system.Comment("After the cache came back.", thread));
        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 3 && v.Comments[2].Id == third.Id, "third comment visible", Soon);
    }

    [Fact]
    public async Task Broker_down_answers_503_with_retry_after_and_accepts_again_when_it_is_back()
    {
        system.BrokerForIngestion.Stop();
        try
        {
            var response = await system.Writer.PostAsJsonAsync("/api/v1/comments", system.Comment("Nobody will hear this one."));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            system.BrokerForIngestion.Start();
        }

        var accepted = await Eventually.Until(
            () => system.Writer.PostAsJsonAsync("/api/v1/comments", system.Comment("Heard once the broker is back.")),
            r => r.StatusCode == HttpStatusCode.Accepted, "accepted again", TimeSpan.FromSeconds(45));
        var submitted = (await accepted.Content.ReadFromJsonAsync<SubmitResult>())!;
        await Eventually.Until(() => system.StatusAsync(submitted), s => s == "approved", "scored after recovery", Soon);
    }

    [Fact]
    public async Task Database_down_keeps_the_message_until_the_worker_can_store_it()
    {
        var thread = $"db-down/{Guid.NewGuid():N}";
        system.DatabaseForWorker.Stop();
        SubmitResult submitted;
        try
        {
            submitted = await system.SubmitAsync(system.Comment("Accepted while the worker cannot reach the database.", thread));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(0L, await system.Database.ScalarAsync<long>($"select count(*) from comments where \"Id\" = '{submitted.Id}'"));
            Assert.Equal("pending", await system.StatusAsync(submitted));
        }
        finally
        {
            system.DatabaseForWorker.Start();
        }

        await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Any(c => c.Id == submitted.Id), "stored after the database came back", TimeSpan.FromSeconds(20));
        Assert.Equal(0, await system.Broker.MessagesInAsync($"{QueueNames.Scoring}_error"));
    }
}
