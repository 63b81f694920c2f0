using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Moderation.FunctionalTests.Infrastructure;
using Moderation.Spam;
using Moderation.Scoring.Serving;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary>Model versions: list, promote, roll back, evaluate without labels, retrain without enough labels, access.</summary>
public sealed class ModelsApiTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _admin = app.StaffClient();

    private async Task RegisterAsync(string version, byte[] artifact)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RegisterAsync(version, artifact, "Sdca", """{"heldOut":{"f1":0.9}}""", default);
    }

    [Fact]
    public async Task Promote_serves_a_version_rollback_returns_to_the_default_and_both_are_audited()
    {
        var version = $"fn-{Guid.NewGuid():N}"[..16];
        await RegisterAsync(version, DefaultArtifact());

        var listed = await _admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/models");
        var row = Assert.Single(listed!, m => (string?)m!["version"] == version)!;
        Assert.False((bool)row["isActive"]!);
        Assert.Equal(0.9, (double)row["metrics"]!["heldOut"]!["f1"]!);

        var promoted = await _admin.PostAsync($"/api/v1/admin/models/{version}/promote", null);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.True((bool)(await promoted.Content.ReadFromJsonAsync<JsonObject>())!["isActive"]!);
        var holder = app.Services.GetRequiredService<ModelHolder>();
        await Eventually.Until(() => holder.Version, v => v == version, "the promoted model to be served", TimeSpan.FromSeconds(5));

        var rolledBack = await _admin.PostAsync("/api/v1/admin/models/rollback", null);
        Assert.Equal(ModelRegistry.DefaultVersion, (string?)(await rolledBack.Content.ReadFromJsonAsync<JsonObject>())!["version"]);
        await Eventually.Until(() => holder.Version, v => v == ModelRegistry.DefaultVersion, "the default to be served again", TimeSpan.FromSeconds(5));

        var audit = (await _admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/audit?action=model"))!["items"]!.AsArray();
        var promote = Assert.Single(audit, e => (string?)e!["action"] == "model.promote" && (string?)e["targetId"] == version)!;
        Assert.Equal(version, (string?)promote["after"]!["version"]);
        var rollback = Assert.Single(audit, e => (string?)e!["action"] == "model.rollback")!;
        Assert.Equal(version, (string?)rollback["before"]!["version"]);
        Assert.Equal(ModelRegistry.DefaultVersion, (string?)rollback["after"]!["version"]);
    }

    [Fact]
    public async Task A_version_that_cannot_load_is_not_promoted()
    {
        var version = $"broken-{Guid.NewGuid():N}"[..20];
        await RegisterAsync(version, [1, 2, 3]);

        await AssertProblemAsync(await _admin.PostAsync($"/api/v1/admin/models/{version}/promote", null), HttpStatusCode.Conflict);

        var listed = await _admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/models");
        Assert.False((bool)listed!.Single(m => (string?)m!["version"] == version)!["isActive"]!);
    }

    [Fact]
    public async Task Unknown_versions_and_jobs_are_404()
    {
        await AssertProblemAsync(await _admin.PostAsync("/api/v1/admin/models/no-such-version/promote", null), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _admin.PostAsync("/api/v1/admin/models/no-such-version/evaluate", null), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _admin.GetAsync($"/api/v1/admin/models/jobs/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Evaluating_without_held_out_labels_of_both_kinds_is_409()
    {
        await AssertProblemAsync(await _admin.PostAsync("/api/v1/admin/models/default/evaluate", null), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Retrain_without_enough_labels_fails_clearly_and_registers_nothing()
    {
        var before = (await _admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/models"))!.Count;

        var response = await _admin.PostAsync("/api/v1/admin/models/retrain", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!;
        Assert.Equal($"/api/v1/admin/models/jobs/{jobId}", response.Headers.Location?.ToString());
        var job = await Eventually.Until(() => _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/models/jobs/{jobId}"),
            j => (string?)j!["state"] is "succeeded" or "failed", "the job to finish");
        Assert.Equal("failed", (string?)job!["state"]);
        Assert.Contains("at least 50 labelled comments", (string?)job["message"]);
        Assert.Equal("bootstrap", (string?)job["requestedBy"]);
        Assert.NotNull(job["finishedAt"]);
        Assert.Equal(before, (await _admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/models"))!.Count);
        Assert.Contains((await _admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/models/jobs"))!, j => (string?)j!["id"] == jobId);
    }

    [Fact]
    public async Task Site_scoped_admin_may_list_models_but_not_change_or_evaluate_them()
    {
        var scoped = app.StaffClient(await app.CreateKeyAsync("admin", StandaloneApp.Site));

        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync("/api/v1/admin/models")).StatusCode);
        await AssertProblemAsync(await scoped.PostAsync("/api/v1/admin/models/retrain", null), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PostAsync("/api/v1/admin/models/default/promote", null), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PostAsync("/api/v1/admin/models/default/evaluate", null), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PostAsync("/api/v1/admin/models/rollback", null), HttpStatusCode.Forbidden);
    }

    internal static byte[] DefaultArtifact()
    {
        using var resource = SpamModel.OpenDefaultFile();
        using var bytes = new MemoryStream();
        resource.CopyTo(bytes);
        return bytes.ToArray();
    }
}
