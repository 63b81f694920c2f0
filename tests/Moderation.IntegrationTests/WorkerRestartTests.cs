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

        await Eventually.GetAsync(() => system.Broker.MessagesInAsync(QueueNames.Scoring), n => n == 5, TimeSpan.FromSeconds(20), "five messages waiting in the queue");
        Assert.Equal("pending", await system.StatusAsync(submitted[0]));

        system.StartWorker();

        var view = await Eventually.GetAsync(() => system.ThreadAsync(thread), v => v.Comments.Count == 5, TimeSpan.FromSeconds(20), "all five visible");
        Assert.Equal(submitted.Select(s => s.Id).Order(), view.Comments.Select(c => c.Id).Order());
    }
}
