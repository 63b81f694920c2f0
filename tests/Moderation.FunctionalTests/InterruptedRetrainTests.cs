using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Moderation.Data.Models;
using Moderation.FunctionalTests.Infrastructure;
using Moderation.Scoring.Retraining;

namespace Moderation.FunctionalTests;

/// <summary>A retrain left "running" by a worker that died is failed at the next start, audited, and a new one can run.</summary>
public sealed class InterruptedRetrainTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_job_left_running_by_a_crash_is_failed_at_start_up_and_a_job_still_beating_is_not()
    {
        await using (var first = StandaloneApp.On(_folder))
        {
            first.CreateClient();
        }
        // What a crash mid-training leaves: a running row whose heartbeat stopped. Beside it, one another instance is running.
        var crashed = Job(heartbeat: DateTime.UtcNow.AddMinutes(-5));
        var alive = Job(heartbeat: DateTime.UtcNow.AddMinutes(1)); // beating (a minute ahead so the test cannot race it)
        await using (var db = StandaloneApp.OpenDatabase(_folder))
        {
            db.TrainingJobs.AddRange(crashed, alive);
            await db.SaveChangesAsync();
        }

        await using var second = StandaloneApp.On(_folder);
        var admin = second.StaffClient();

        var failed = await Eventually.Until(() => admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/models/jobs/{crashed.Id}")!,
            j => (string?)j!["state"] != "running", "the interrupted job to be failed");
        Assert.Equal("failed", (string?)failed!["state"]);
        Assert.Equal(InterruptedTrainingJobs.InterruptedMessage, (string?)failed["message"]);
        Assert.NotNull((DateTime?)failed["finishedAt"]);
        var audit = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?action=model.retrainInterrupted&targetId={crashed.Id}"))!["items"]!.AsArray();
        Assert.Equal("system", (string?)Assert.Single(audit)!["actor"]);
        Assert.Equal("running", (string?)(await admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/models/jobs/{alive.Id}"))!["state"]);

        var retrain = await admin.PostAsync("/api/v1/admin/models/retrain", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, retrain.StatusCode);
    }

    private static TrainingJob Job(DateTime heartbeat) => new()
    {
        Id = Guid.CreateVersion7(),
        RequestedBy = "admin",
        RequestedAt = DateTime.UtcNow.AddMinutes(-10),
        State = TrainingJobState.Running,
        Progress = 0.4,
        Message = "cross-validating 2/5",
        HeartbeatAt = heartbeat,
    };
}
