using Moderation.IntegrationTests.Infrastructure;
using Moderation.ServiceDefaults;

namespace Moderation.IntegrationTests;

/// <summary>A 202 means the comment will be scored, even when no worker is running at the time.</summary>
public sealed class WorkerRestartTests(DistributedSystem system) : IClassFixture<DistributedSystem>
{
    [Fact]
    public async Task Comments_accepted_while_no_worker_runs_are_scored_when_one_starts()
    {
        await system.StopWorkerAsync();
        var thread = $"restart/{Guid.NewGuid():N}";
        var submitted = new List<SubmitResult>();
        for (var i = 0; i < 5; i++)
            submitted.Add(await system.SubmitAsync(system.Comment($"Comment {i} while the worker is down.", thread)));

        await Eventually.Until(() => system.Broker.MessagesInAsync(QueueNames.Scoring), n => n == 5, "five messages waiting in the queue", TimeSpan.FromSeconds(20));
        Assert.Equal("pending", await system.StatusAsync(submitted[0]));

        system.StartWorker();

        var view = await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 5, "all five visible", TimeSpan.FromSeconds(20));
        Assert.Equal(submitted.Select(s => s.Id).Order(), view.Comments.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task Comments_accepted_together_travel_in_groups_and_are_all_scored()
    {
        await system.StopWorkerAsync();
        var thread = $"grouped/{Guid.NewGuid():N}";

        var submitted = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => system.SubmitAsync(system.Comment($"Comment {i} of forty.", thread))));

        // Every 202 came after its message's confirm, so all forty are in the queue now.
        var messages = await system.Broker.ReadyNowAsync(QueueNames.Scoring);
        Assert.InRange(messages, 1u, 39u);

        system.StartWorker();

        var view = await Eventually.Until(() => system.ThreadAsync(thread), v => v.Comments.Count == 40, "all forty visible", TimeSpan.FromSeconds(30));
        Assert.Equal(submitted.Select(s => s.Id).Order(), view.Comments.Select(c => c.Id).Order());
    }
}
