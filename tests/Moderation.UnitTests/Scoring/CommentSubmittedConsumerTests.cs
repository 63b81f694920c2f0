using MassTransit;
using MassTransit.Testing;
using Moderation.Contracts;
using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.Scoring.Consumers;
using Moderation.Scoring.Scoring;
using Moderation.UnitTests.Support;

namespace Moderation.UnitTests.Scoring;

public sealed class CommentSubmittedConsumerTests : IAsyncLifetime
{
    private ScoringHost _host = null!;

    private ITestHarness Harness => _host.Harness;

    /// <summary>Each message the batch consumer finished with, however it ended.</summary>
    private IReceivedMessageList Consumed => Harness.Consumed;

    public async Task InitializeAsync() => _host = await ScoringHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Sends the submission and waits until the consumer has finished with it (however it ended).</summary>
    private async Task<IReceivedMessage<CommentSubmitted>> ConsumeAsync(CommentSubmitted submission)
    {
        await _host.SubmitAsync(submission);
        var consumed = await Consumed.WaitFor<CommentSubmitted>(m => m.CommentId == submission.CommentId);
        return consumed[0];
    }

    private void AssertNoFault(Guid commentId) =>
        Assert.Empty(Harness.Published.Now<Fault<CommentSubmitted>>(f => f.Message.CommentId == commentId));

    [Fact]
    public async Task Friendly_comment_is_stored_approved_and_published()
    {
        var submission = Submissions.Friendly();

        var consumed = await ConsumeAsync(submission);

        Assert.Null(consumed.Exception);
        var published = Assert.Single(Harness.Published.Now<CommentPublished>(m => m.CommentId == submission.CommentId));
        Assert.Equal(submission.SiteId, published.SiteId);
        Assert.Equal(submission.ThreadId, published.ThreadId);
        Assert.Null(published.ParentId);
        Assert.Empty(Harness.Published.Now<CommentHeld>(m => m.CommentId == submission.CommentId));
        Assert.Empty(Harness.Published.Now<CommentMarkedSpam>(m => m.CommentId == submission.CommentId));
        AssertNoFault(submission.CommentId);

        var stored = Assert.Single(await _host.StoredAsync(submission.CommentId));
        Assert.Equal(CommentStatus.Approved, stored.Status);
        Assert.NotNull(stored.SpamScore);
        Assert.True(stored.SpamScore < Site.DefaultApproveBelow, $"score {stored.SpamScore}");
        Assert.StartsWith("default-ml-", stored.ModelVersion); // the built-in ML.NET model, not the heuristic fallback
        Assert.Equal(Site.DefaultApproveBelow, stored.ApproveBelowUsed);
        Assert.Equal(Site.DefaultRejectAbove, stored.RejectAboveUsed);
        Assert.Contains(stored.Reasons, r => r.StartsWith("model 0.") && r.Contains("not spam-like"));
        Assert.NotNull(stored.ScoredAt);
        Assert.Equal(stored.ScoredAt, stored.PublishedAt);
        Assert.Equal(stored.PublishedAt, published.PublishedAt);
        Assert.Equal(submission.Body, stored.Body);
        Assert.Equal(submission.AuthorEmail, stored.AuthorEmail);
        Assert.Equal(CommentMapping.HashEmail("ADA@example.com "), stored.EmailHash);
    }

    [Fact]
    public async Task Comment_with_a_filled_honeypot_is_stored_as_spam_and_announced()
    {
        var submission = Submissions.Friendly() with { HoneypotFilled = true };

        var consumed = await ConsumeAsync(submission);

        Assert.Null(consumed.Exception);
        var spam = Assert.Single(Harness.Published.Now<CommentMarkedSpam>(m => m.CommentId == submission.CommentId));
        Assert.Contains("hidden honeypot field filled in", spam.Reasons);
        Assert.Empty(Harness.Published.Now<CommentPublished>(m => m.CommentId == submission.CommentId));
        AssertNoFault(submission.CommentId);

        var stored = Assert.Single(await _host.StoredAsync(submission.CommentId));
        Assert.Equal(CommentStatus.Spam, stored.Status);
        Assert.Equal(spam.Score, stored.SpamScore);
        Assert.Contains("hidden honeypot field filled in", stored.Reasons);
        Assert.Null(stored.PublishedAt);
    }

    [Fact]
    public async Task Comment_with_a_held_word_is_stored_held_and_announced()
    {
        var submission = Submissions.Friendly() with { Body = "Will the casino plan for the old docks come back to the council next year?" };

        var consumed = await ConsumeAsync(submission);

        Assert.Null(consumed.Exception);
        var held = Assert.Single(Harness.Published.Now<CommentHeld>(m => m.CommentId == submission.CommentId));
        Assert.Contains("contains held word 'casino'", held.Reasons);
        Assert.Empty(Harness.Published.Now<CommentPublished>(m => m.CommentId == submission.CommentId));
        AssertNoFault(submission.CommentId);

        var stored = Assert.Single(await _host.StoredAsync(submission.CommentId));
        Assert.Equal(CommentStatus.Held, stored.Status);
        Assert.Equal(held.Score, stored.SpamScore);
        Assert.Equal(held.Reasons, stored.Reasons);
        Assert.Null(stored.PublishedAt);
    }

    [Fact]
    public async Task Same_submission_consumed_twice_is_stored_once_and_announced_again()
    {
        var submission = Submissions.Friendly();
        await ConsumeAsync(submission);
        var first = Assert.Single(await _host.StoredAsync(submission.CommentId));

        await _host.SubmitAsync(submission);

        var consumed = await Consumed.WaitFor<CommentSubmitted>(m => m.CommentId == submission.CommentId, count: 2);
        Assert.All(consumed, c => Assert.Null(c.Exception));
        Assert.Equal(2, Harness.Published.Now<CommentPublished>(m => m.CommentId == submission.CommentId).Length);
        AssertNoFault(submission.CommentId);
        var stored = Assert.Single(await _host.StoredAsync(submission.CommentId));
        Assert.Equal(CommentStatus.Approved, stored.Status);
        Assert.Equal(first.ScoredAt, stored.ScoredAt); // not scored a second time
    }

    [Fact]
    public async Task Comment_stored_as_pending_before_scoring_is_scored_in_place()
    {
        // The standalone host stores each submission as pending before it answers 202.
        var submission = Submissions.Friendly();
        await _host.StoreAsync(submission.ToPendingComment());

        var consumed = await ConsumeAsync(submission);

        Assert.Null(consumed.Exception);
        Assert.Single(Harness.Published.Now<CommentPublished>(m => m.CommentId == submission.CommentId));
        var stored = Assert.Single(await _host.StoredAsync(submission.CommentId));
        Assert.Equal(CommentStatus.Approved, stored.Status);
        Assert.NotNull(stored.SpamScore);
    }

    [Fact]
    public async Task Submission_for_an_unknown_site_is_retried_briefly_then_faults_instead_of_being_dropped()
    {
        var submission = Submissions.Friendly(siteId: "no-such-site");

        await _host.SubmitAsync(submission);

        var fault = Assert.Single(await Harness.Published.WaitFor<Fault<CommentSubmitted>>(f => f.Message.CommentId == submission.CommentId));
        Assert.Contains(fault.Exceptions, e => e.Message.Contains("Unknown site 'no-such-site'"));
        var batches = Harness.GetConsumerHarness<CommentSubmittedConsumer>().Consumed
            .Now<Batch<CommentSubmitted>>(b => b.Any(m => m.Message.CommentId == submission.CommentId));
        Assert.NotEmpty(batches);
        Assert.All(batches, c => Assert.NotNull(c.Exception));
        Assert.Empty(await _host.StoredAsync(submission.CommentId));
        Assert.Empty(Harness.Published.Now<CommentPublished>(m => m.CommentId == submission.CommentId));
        // The endpoint's retry policy tried again (the scorer reloads the sites on each attempt) before giving up.
        Assert.InRange(_host.SiteReloads, 2, 10);
    }
}
