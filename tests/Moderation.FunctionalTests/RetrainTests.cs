using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Moderation.FunctionalTests.Infrastructure;

namespace Moderation.FunctionalTests;

/// <summary>The standalone host, retraining small: one learner, two folds, no seed corpus.</summary>
public class SmallTrainingApp : StandaloneApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Models:Training:Trainers", "Sdca");
        builder.UseSetting("Models:Training:Folds", "2");
        builder.UseSetting("Models:Training:IncludeSeedCorpus", "false");
    }

    private readonly Lazy<Task> _labels;

    public SmallTrainingApp() => _labels = new(() => LabelledComments.StoreTrainingSetAsync(Services, Site, 60));

    /// <summary>60 labelled comments, spam and ham alternating, stored once per host.</summary>
    public Task EnsureLabelsAsync() => _labels.Value;
}

/// <summary>Retraining from labels in the background, and evaluating a version on the held-out labels.</summary>
public sealed class RetrainTests(SmallTrainingApp app) : IClassFixture<SmallTrainingApp>, IAsyncLifetime
{
    private readonly HttpClient _admin = app.StaffClient();

    public Task InitializeAsync() => app.EnsureLabelsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Retrain_registers_a_new_version_with_held_out_metrics_without_promoting_it()
    {
        var response = await _admin.PostAsync("/api/v1/admin/models/retrain", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!;

        var job = await Eventually.Until(() => _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/models/jobs/{jobId}"),
            j => (string?)j!["state"] is "succeeded" or "failed", "the job to finish", TimeSpan.FromMinutes(2));

        Assert.True((string?)job!["state"] == "succeeded", job.ToJsonString());
        Assert.Equal(1.0, (double)job["progress"]!);
        var version = (string)job["resultVersion"]!;
        Assert.StartsWith("labels-sdca-", version);
        var model = (await _admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/models"))!.Single(m => (string?)m!["version"] == version)!;
        Assert.False((bool)model["isActive"]!);
        Assert.Equal(12, (int)model["metrics"]!["heldOutLabels"]!);
        Assert.InRange((double)model["metrics"]!["heldOut"]!["f1"]!, 0.8, 1.0);

        var audit = (await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?action=model.register&targetId={version}"))!["items"]!.AsArray();
        Assert.Equal("bootstrap", (string?)Assert.Single(audit)!["actor"]);

        // The same labels again make the same model: reported, not registered twice.
        var again = (string)(await (await _admin.PostAsync("/api/v1/admin/models/retrain", null)).Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!;
        var second = await Eventually.Until(() => _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/models/jobs/{again}"),
            j => (string?)j!["state"] is "succeeded" or "failed", "the second job to finish", TimeSpan.FromMinutes(2));
        Assert.Equal("succeeded", (string?)second!["state"]);
        Assert.Equal(version, (string?)second["resultVersion"]);
        Assert.Contains("same model", (string?)second["message"]);
    }

    [Fact]
    public async Task Evaluate_scores_the_held_out_labels_with_a_version()
    {
        var response = await _admin.PostAsync("/api/v1/admin/models/default/evaluate", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evaluation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("default", (string?)evaluation["version"]);
        Assert.Equal(12, (int)evaluation["heldOutLabels"]!);
        Assert.Equal(6, (int)evaluation["spam"]!);
        Assert.Equal(6, (int)evaluation["ham"]!);
        Assert.InRange((double)evaluation["metrics"]!["rocAuc"]!, 0.5, 1.0);
        Assert.NotEmpty(evaluation["operatingPoints"]!.AsArray());
    }
}
