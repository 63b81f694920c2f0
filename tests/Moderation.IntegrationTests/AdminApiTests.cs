using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Scoring.Retraining;
using Moderation.ServiceDefaults;

namespace Moderation.IntegrationTests;

/// <summary>The admin API on real PostgreSQL and RabbitMQ, with a running worker and ingestion instance.</summary>
public sealed class AdminApiTests(DistributedSystem system) : IClassFixture<DistributedSystem>
{
    private static readonly TimeSpan FiveSeconds = TimeSpan.FromSeconds(5);

    private async Task<string> CreateSiteAsync(string prefix, object? extra = null)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..20];
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra ?? new { }))!.AsObject();
        body["id"] = id;
        body["name"] = "Integration " + prefix;
        var response = await system.Staff.PostAsync("/api/v1/admin/sites", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    [Fact]
    public async Task Threshold_saved_through_the_API_is_used_by_the_running_worker_within_five_seconds()
    {
        // approveBelow 0: no score is below it, so whatever the model says, the comment is not published.
        var put = await system.Staff.PutAsJsonAsync($"/api/v1/admin/sites/{system.SiteId}", new { approveBelow = 0.0, rejectAbove = 1.0 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        try
        {
            foreach (var instance in new[] { system.Scoring!.Services, system.Ingestion.Services })
            {
                var sites = instance.GetRequiredService<ISiteRegistry>();
                await Eventually.Until(() => sites.Find(system.SiteId)!.ApproveBelow, v => v == 0.0, "new threshold loaded", FiveSeconds);
            }

            var submitted = await system.SubmitAsync(system.Comment("A plain comment after the admin lowered the threshold.", $"admin/{Guid.NewGuid():N}"));
            await Eventually.Until(() => system.StatusAsync(submitted), s => s != "pending", "scored", FiveSeconds);
            Assert.Equal("awaitingModeration", await system.StatusAsync(submitted));
            Assert.Equal(0.0, await system.Database.ScalarAsync<double>($"select \"ApproveBelowUsed\" from comments where \"Id\" = '{submitted.Id}'"));
        }
        finally
        {
            (await system.Staff.PutAsJsonAsync($"/api/v1/admin/sites/{system.SiteId}", new { approveBelow = 0.5, rejectAbove = 0.9 })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Site_created_through_the_API_takes_comments_at_ingestion_within_five_seconds()
    {
        var id = await CreateSiteAsync("new", new { allowedOrigins = new[] { DistributedSystem.Origin } });
        var comment = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(system.Comment("First comment on a brand-new site.")))!.AsObject();
        comment["siteId"] = id;

        var status = await Eventually.Until(async () => (await system.Writer.PostAsJsonAsync("/api/v1/comments", comment)).StatusCode,
            s => s == HttpStatusCode.Accepted, "ingestion to accept the new site", FiveSeconds);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1L, await system.Database.ScalarAsync<long>($"select count(*) from audit_log where \"Action\" = 'site.create' and \"TargetId\" = '{id}'"));
    }

    [Fact]
    public async Task What_if_counts_seeded_scored_and_labelled_comments_in_PostgreSQL()
    {
        var id = await CreateSiteAsync("whatif");
        (double Score, LabelKind? Label)[] seeds =
        [
            (0.01, LabelKind.Ham), (0.05, LabelKind.Ham), (0.12, LabelKind.Ham), (0.5, LabelKind.Ham), (0.97, LabelKind.Ham),
            (0.03, LabelKind.Spam), (0.55, LabelKind.Spam), (0.96, LabelKind.Spam), (1.0, LabelKind.Spam),
            (0.2, null), (0.9, null), (0.99, null),
        ];
        await StoreAsync(id, seeds.Select(s => (s.Score, s.Label, s.Label == LabelKind.Spam)).ToList(), "what-if");

        var result = await system.Staff.GetFromJsonAsync<JsonObject>($"/api/v1/admin/sites/{id}/what-if?approveBelow=0.1&rejectAbove=0.95");

        Assert.Equal((12, 3, 5, 4), ((int)result!["scored"]!, (int)result["wouldApprove"]!, (int)result["wouldHold"]!, (int)result["wouldSpam"]!));
        var labelled = result["labelled"]!;
        Assert.Equal((4, 5, 1, 1, 1, 2), ((int)labelled["spam"]!, (int)labelled["ham"]!, (int)labelled["spamPublished"]!,
            (int)labelled["hamSpammed"]!, (int)labelled["spamHeld"]!, (int)labelled["hamHeld"]!));
        var spam = result["histogram"]!["spam"]!.AsArray().Select(n => (int)n!).ToArray();
        var ham = result["histogram"]!["ham"]!.AsArray().Select(n => (int)n!).ToArray();
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2], spam);
        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1], ham); // 0.05 in bin 1, 0.5 in bin 10: no rounding
    }

    [Fact]
    public async Task Retrain_is_run_by_the_scoring_worker_not_the_moderation_API_and_registers_an_unpromoted_version()
    {
        var id = await CreateSiteAsync("labels");
        await StoreAsync(id, [.. Enumerable.Range(0, 60).Select(i => (i % 2 == 0 ? 0.8 : 0.2, (LabelKind?)(i % 2 == 0 ? LabelKind.Spam : LabelKind.Ham), i % 2 == 0))], "retrain");
        Assert.Null(system.ModerationApi.Services.GetService<TrainingJobRunner>()); // the API has no runner at all

        // With no worker running, the request is accepted and waits, as a message in the workers' queue.
        await system.StopWorkerAsync();
        var seen = new List<(string State, double Progress)>();
        Task<JsonObject> finished;
        try
        {
            var response = await system.Staff.PostAsync("/api/v1/admin/models/retrain", null);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var jobId = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!;
            await Eventually.Until(() => system.Broker.MessagesInAsync(QueueNames.Retraining), n => n == 1, "the command waiting in its queue", TimeSpan.FromSeconds(20));
            Assert.Equal("queued", (string?)(await system.Staff.GetFromJsonAsync<JsonObject>($"/api/v1/admin/models/jobs/{jobId}"))!["state"]);
            // Watched from before the worker starts: it may take the job while its host is still starting.
            finished = Eventually.Until(async () =>
            {
                var j = (await system.Staff.GetFromJsonAsync<JsonObject>($"/api/v1/admin/models/jobs/{jobId}"))!;
                seen.Add(((string)j["state"]!, (double)j["progress"]!));
                return j;
            }, j => (string?)j["state"] is "succeeded" or "failed", "the training job to finish", TimeSpan.FromMinutes(3));
        }
        finally
        {
            system.StartWorker();
        }
        var job = await finished;

        Assert.True((string?)job["state"] == "succeeded", job.ToJsonString());
        Assert.NotNull(system.Scoring!.Services.GetService<TrainingJobRunner>());
        Assert.Contains(seen, s => s.State == "running" && s.Progress is > 0 and < 1);
        var progress = seen.Select(s => s.Progress).ToList();
        Assert.Equal(progress.Order(), progress); // never goes back
        var version = (string)job["resultVersion"]!;
        Assert.False(await system.Database.ScalarAsync<bool>($"select \"IsActive\" from spam_models where \"Version\" = '{version}'"));
        Assert.Equal(1L, await system.Database.ScalarAsync<long>($"select count(*) from audit_log where \"Action\" = 'model.register' and \"TargetId\" = '{version}'"));
        var listed = await system.Staff.GetFromJsonAsync<JsonArray>("/api/v1/admin/models");
        Assert.True((int)listed!.Single(m => (string?)m!["version"] == version)!["metrics"]!["heldOutLabels"]! >= 12);
    }

    [Fact]
    public async Task Audit_export_streams_the_filtered_entries_from_PostgreSQL()
    {
        var id = await CreateSiteAsync("audit");
        for (var links = 1; links <= 3; links++)
            (await system.Staff.PutAsJsonAsync($"/api/v1/admin/sites/{id}", new { maxLinks = links })).EnsureSuccessStatusCode();

        var csv = await system.Staff.GetStringAsync($"/api/v1/admin/audit/export?format=csv&siteId={id}");
        var ndjson = await system.Staff.GetStringAsync($"/api/v1/admin/audit/export?format=ndjson&siteId={id}&action=site.update");

        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, rows.Length);
        Assert.Contains(",site.create,", rows[1]);
        var updates = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([1, 2, 3], updates.Select(u => (int)u["after"]!["maxLinks"]!));
        Assert.Equal([2, 1, 2], updates.Select(u => (int)u["before"]!["maxLinks"]!));
    }

    /// <summary>Scored comments (labelled where a label is given) stored for <paramref name="siteId"/> in the last hour.</summary>
    private async Task StoreAsync(string siteId, IReadOnlyList<(double Score, LabelKind? Label, bool SpamText)> seeds, string tag)
    {
        await using var scope = system.ModerationApi.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var at = DateTime.UtcNow.AddHours(-1);
        for (var i = 0; i < seeds.Count; i++)
        {
            var (score, label, spamText) = seeds[i];
            var email = $"reader{i}@example.org";
            var comment = new Comment
            {
                Id = Guid.CreateVersion7(),
                SiteId = siteId,
                ThreadId = "admin/integration",
                AuthorName = spamText ? $"Cheap Deals {i}" : $"Reader {i}",
                AuthorEmail = email,
                EmailHash = CommentMapping.HashEmail(email),
                Body = spamText
                    ? $"Buy cheap replica watches {tag} {i} at http://deals{i}.example/offer now!!! Limited offer, casino bonus code {i}"
                    : $"I went to council meeting {tag} number {i} and the plan for the river path seems sensible, though parking is a worry.",
                SubmittedAt = at.AddSeconds(i),
                ScoredAt = at.AddSeconds(i),
                Status = CommentStatus.Held,
                SpamScore = score,
            };
            db.Comments.Add(comment);
            if (label is { } kind) db.Labels.Add(new Label { CommentId = comment.Id, Kind = kind, By = "tests", CreatedAt = at.AddSeconds(i) });
        }
        await db.SaveChangesAsync();
    }
}
