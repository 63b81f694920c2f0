using MassTransit;
using MassTransit.Testing;
using Moderation.Contracts;
using Moderation.Data.Comments;
using Moderation.Scoring.Consumers;
using Moderation.UnitTests.Support;

namespace Moderation.UnitTests.Scoring;

/// <summary>
/// The worker's batch path: submissions sent together are scored as one batch (a long batch wait here, so that
/// they do), and what one of them does must not decide the fate of the others.
/// </summary>
public sealed class BatchScoringTests : IAsyncLifetime
{
    private ScoringHost _host = null!;

    private ITestHarness Harness => _host.Harness;

    public async Task InitializeAsync() =>
        _host = await ScoringHost.StartAsync(new() { ["Scoring:Batch:WaitMilliseconds"] = "500" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static CommentSubmitted Submission(int n, string siteId = "demo") => Submissions.Friendly(siteId) with
    {
        Body = $"Comment number {n} on the budget: the library hours matter more to us than the new roundabout.",
        ClientIp = $"203.0.113.{n}",
    };

    /// <summary>Waits until a batch holding all of them was consumed (however it ended).</summary>
    private async Task AssertScoredInOneBatchAsync(params CommentSubmitted[] submissions)
    {
        var consumer = Harness.GetConsumerHarness<CommentSubmittedConsumer>();
        await Eventually.Until(
            () => consumer.Consumed.Now<Batch<CommentSubmitted>>(b => submissions.All(s => b.Any(m => m.Message.CommentId == s.CommentId))),
            found => found.Length > 0, "one batch with all of them");
    }

    /// <summary>The decisions announced for the comment so far (published, held or spam).</summary>
    private int Announced(CommentSubmitted s) =>
        Harness.Published.Now<CommentPublished>(m => m.CommentId == s.CommentId).Length
        + Harness.Published.Now<CommentHeld>(m => m.CommentId == s.CommentId).Length
        + Harness.Published.Now<CommentMarkedSpam>(m => m.CommentId == s.CommentId).Length;

    private Task AnnouncedAsync(CommentSubmitted s, int times = 1) =>
        Eventually.Until(() => Announced(s), n => n >= times, $"{times} announcements of {s.CommentId}");

    private async Task<Comment> ScoredAsync(CommentSubmitted s)
    {
        var stored = Assert.Single(await _host.StoredAsync(s.CommentId));
        Assert.NotEqual(CommentStatus.Pending, stored.Status);
        return stored;
    }

    private void AssertNoFault(CommentSubmitted s) =>
        Assert.Empty(Harness.Published.Now<Fault<CommentSubmitted>>(f => f.Message.CommentId == s.CommentId));

    [Fact]
    public async Task Poison_message_in_a_batch_faults_alone_and_the_others_are_stored_and_announced()
    {
        var good = new[] { Submission(1), Submission(2), Submission(3) };
        var poison = Submission(4, siteId: "no-such-site");

        await _host.SubmitAllAsync([good[0], poison, good[1], good[2]]);

        await AssertScoredInOneBatchAsync([.. good, poison]);
        var fault = Assert.Single(await Harness.Published.WaitFor<Fault<CommentSubmitted>>(f => f.Message.CommentId == poison.CommentId));
        Assert.Contains(fault.Exceptions, e => e.Message.Contains("Unknown site 'no-such-site'"));
        Assert.Empty(await _host.StoredAsync(poison.CommentId));
        foreach (var s in good)
        {
            await AnnouncedAsync(s);
            Assert.Equal(1, Announced(s)); // once: the batch's retries left the comments scored one by one alone
            await ScoredAsync(s);
            AssertNoFault(s);
            Assert.All(Harness.Consumed.Now<CommentSubmitted>(m => m.CommentId == s.CommentId), c => Assert.Null(c.Exception));
        }
    }

    [Fact]
    public async Task Already_stored_comment_redelivered_in_a_batch_is_announced_again_and_not_rescored()
    {
        var first = Submission(1);
        await _host.SubmitAsync(first);
        await AnnouncedAsync(first);
        var stored = await ScoredAsync(first);
        var others = new[] { Submission(2), Submission(3) };

        await _host.SubmitAllAsync([others[0], first, others[1]]);

        await AssertScoredInOneBatchAsync([first, .. others]);
        await AnnouncedAsync(first, times: 2);
        Assert.Equal(stored.ScoredAt, (await ScoredAsync(first)).ScoredAt);
        foreach (var s in others)
        {
            await AnnouncedAsync(s);
            await ScoredAsync(s);
        }
        foreach (var s in others.Append(first)) AssertNoFault(s);
    }

    [Fact]
    public async Task Same_submission_twice_in_one_batch_is_stored_once_without_a_fault()
    {
        var twice = Submission(1);
        var other = Submission(2);

        await _host.SubmitAllAsync([twice, other, twice]);

        await AssertScoredInOneBatchAsync(twice, other);
        await AnnouncedAsync(twice);
        await AnnouncedAsync(other);
        var stored = await ScoredAsync(twice);
        // Scored once: the copy rule did not see the comment as a copy of itself.
        Assert.DoesNotContain(stored.Reasons, r => r.StartsWith("same text"));
        await ScoredAsync(other);
        AssertNoFault(twice);
        AssertNoFault(other);
        await Harness.Consumed.WaitFor<CommentSubmitted>(m => m.CommentId == twice.CommentId, count: 2);
        Assert.All(Harness.Consumed.Now<CommentSubmitted>(m => m.CommentId == twice.CommentId), c => Assert.Null(c.Exception));
    }

    [Fact]
    public async Task Group_from_ingestion_is_stored_and_announced_and_a_group_delivered_twice_is_not_rescored()
    {
        var group = new[] { Submission(1), Submission(2), Submission(3) };

        await _host.SubmitGroupAsync(group);

        foreach (var s in group) await AnnouncedAsync(s);
        var scoredAt = new List<DateTime?>();
        foreach (var s in group)
        {
            scoredAt.Add((await ScoredAsync(s)).ScoredAt);
            AssertNoFault(s);
        }
        var consumed = await Harness.GetConsumerHarness<CommentsSubmittedConsumer>().Consumed
            .WaitFor<Batch<CommentsSubmitted>>(b => b.Any(m => m.Message.Comments.Count == 3));
        Assert.All(consumed, c => Assert.Null(c.Exception));

        await _host.SubmitGroupAsync(group);

        foreach (var s in group) await AnnouncedAsync(s, times: 2);
        for (var i = 0; i < group.Length; i++) Assert.Equal(scoredAt[i], (await ScoredAsync(group[i])).ScoredAt);
    }

    [Fact]
    public async Task Poison_comment_in_a_group_is_sent_back_alone_and_faults_by_itself_while_the_rest_is_stored()
    {
        var good = new[] { Submission(1), Submission(2) };
        var poison = Submission(3, siteId: "no-such-site");

        await _host.SubmitGroupAsync(good[0], poison, good[1]);

        // Alone: as a message of its own, which the endpoint retries and then faults with its exception.
        var fault = Assert.Single(await Harness.Published.WaitFor<Fault<CommentSubmitted>>(f => f.Message.CommentId == poison.CommentId));
        Assert.Contains(fault.Exceptions, e => e.Message.Contains("Unknown site 'no-such-site'"));
        Assert.Empty(Harness.Published.Now<Fault<CommentsSubmitted>>(_ => true));
        Assert.Empty(await _host.StoredAsync(poison.CommentId));
        foreach (var s in good)
        {
            await AnnouncedAsync(s);
            Assert.Equal(1, Announced(s));
            await ScoredAsync(s);
            AssertNoFault(s);
        }
        var groupConsumed = Harness.Consumed.Now<CommentsSubmitted>(m => m.Comments.Any(c => c.CommentId == poison.CommentId));
        Assert.NotEmpty(groupConsumed);
        Assert.All(groupConsumed, c => Assert.Null(c.Exception)); // the group was acknowledged, not faulted
    }
}
