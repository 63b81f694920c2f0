using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Ingestion;
using Moderation.Ingestion.Submissions;
using Moderation.ServiceDefaults;
using Moderation.UnitTests.Support;

namespace Moderation.UnitTests.Ingestion;

/// <summary>
/// Ingestion's group commit over MassTransit's in-memory transport: the broker's side of a send is held or failed
/// by a filter in the send pipe, so that what waits meanwhile, and what a failed send means for each comment, show.
/// </summary>
public sealed class BrokerSubmissionQueueTests : IAsyncLifetime
{
    private const int GroupLimit = 4;

    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private BrokerSubmissionQueue _queue = null!;

    /// <summary>While set, sends wait for it: the broker has not confirmed yet.</summary>
    private volatile TaskCompletionSource? _confirmHeld;
    private volatile bool _brokerFails;
    private int _sendsStarted;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddLogging()
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(30), testInactivityTimeout: TimeSpan.FromSeconds(1));
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.ConfigureSend(send => send.UseSendExecuteAsync(async _ =>
                    {
                        Interlocked.Increment(ref _sendsStarted);
                        if (_confirmHeld is { } held) await held.Task;
                        if (_brokerFails) throw new InvalidOperationException("the broker refused the message");
                    }));
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
        _queue = new BrokerSubmissionQueue(_harness.Bus, Options.Create(new IngestionOptions
        {
            MaxCommentsPerMessage = GroupLimit,
            ConcurrentSends = 1,
            AcceptTimeoutSeconds = 5,
        }), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _confirmHeld?.TrySetResult();
        await _queue.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private CommentsSubmitted[] Sent() => [.. _harness.Sent.Select<CommentsSubmitted>().Select(m => m.Context.Message)];

    [Fact]
    public async Task Lone_submission_is_sent_at_once_in_a_group_of_one()
    {
        var submission = Submissions.Friendly();

        await _queue.AcceptAsync(submission, CancellationToken.None);

        var group = Assert.Single(Sent());
        Assert.Equal(submission, Assert.Single(group.Comments));
    }

    [Fact]
    public async Task Submissions_arriving_while_a_send_awaits_its_confirm_travel_together_each_exactly_once()
    {
        _confirmHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Submissions.Friendly();
        var firstAccepted = _queue.AcceptAsync(first, CancellationToken.None);
        await Eventually.Until(() => Volatile.Read(ref _sendsStarted), n => n == 1, "the first send");

        var waiting = Enumerable.Range(0, 10).Select(_ => Submissions.Friendly()).ToArray();
        var accepted = waiting.Select(s => _queue.AcceptAsync(s, CancellationToken.None)).ToArray();
        await Task.Delay(100);
        Assert.False(firstAccepted.IsCompleted, "accepted before the broker confirmed");
        Assert.All(accepted, a => Assert.False(a.IsCompleted));

        var held = _confirmHeld;
        _confirmHeld = null;
        held.SetResult();
        await Task.WhenAll([firstAccepted, .. accepted]);

        var groups = Sent();
        // The one in flight alone, then the ten that waited in groups of at most four: 4 + 4 + 2.
        Assert.Equal([1, 4, 4, 2], groups.Select(g => g.Comments.Count));
        Assert.Equal([first.CommentId, .. waiting.Select(s => s.CommentId)], groups.SelectMany(g => g.Comments).Select(c => c.CommentId));
    }

    [Fact]
    public async Task With_groups_of_one_each_submission_travels_as_a_CommentSubmitted_as_before_groups()
    {
        await using var queue = new BrokerSubmissionQueue(_harness.Bus, Options.Create(new IngestionOptions { MaxCommentsPerMessage = 1 }), TimeProvider.System);
        var submissions = Enumerable.Range(0, 5).Select(_ => Submissions.Friendly()).ToArray();

        await Task.WhenAll(submissions.Select(s => queue.AcceptAsync(s, CancellationToken.None)));

        Assert.Empty(Sent());
        var sent = _harness.Sent.Select<CommentSubmitted>().Select(m => m.Context.Message.CommentId).ToHashSet();
        Assert.Equal(submissions.Select(s => s.CommentId).ToHashSet(), sent);
    }

    [Fact]
    public async Task Broker_that_refuses_a_group_is_a_503_for_every_comment_in_it()
    {
        _confirmHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstAccepted = _queue.AcceptAsync(Submissions.Friendly(), CancellationToken.None);
        await Eventually.Until(() => Volatile.Read(ref _sendsStarted), n => n == 1, "the first send");
        var accepted = Enumerable.Range(0, 3).Select(_ => _queue.AcceptAsync(Submissions.Friendly(), CancellationToken.None)).ToArray();

        _brokerFails = true;
        _confirmHeld.SetResult();

        foreach (var task in accepted.Prepend(firstAccepted))
        {
            var refused = await Assert.ThrowsAsync<ServiceUnavailableException>(() => task);
            Assert.Contains("not accepted", refused.Message);
            Assert.Contains("refused", refused.InnerException!.Message);
        }
        Assert.Equal(2, Volatile.Read(ref _sendsStarted)); // the lone first, then the three that waited: one message

        _brokerFails = false;
        await _queue.AcceptAsync(Submissions.Friendly(), CancellationToken.None); // the senders carry on
    }

    [Fact]
    public async Task Submission_that_waited_its_whole_timeout_for_a_sender_is_a_503_and_never_sent()
    {
        await using var queue = new BrokerSubmissionQueue(_harness.Bus, Options.Create(new IngestionOptions
        {
            ConcurrentSends = 1,
            AcceptTimeoutSeconds = 1,
        }), TimeProvider.System);
        // On a loaded machine the bus's first send can take longer than this queue's one-second timeout to
        // begin: warm the bus up through the patient queue, so that the timeout is spent where the test holds it.
        await _queue.AcceptAsync(Submissions.Friendly(), CancellationToken.None);
        Interlocked.Exchange(ref _sendsStarted, 0);
        _confirmHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = queue.AcceptAsync(Submissions.Friendly(), CancellationToken.None);
        await Eventually.Until(() => Volatile.Read(ref _sendsStarted), n => n == 1, "the first send");
        var late = Enumerable.Range(0, 3).Select(_ => Submissions.Friendly()).ToArray();
        var accepted = late.Select(s => queue.AcceptAsync(s, CancellationToken.None)).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the only sender is still waiting for its confirm
        _confirmHeld.SetResult();

        foreach (var task in accepted) await Assert.ThrowsAsync<ServiceUnavailableException>(() => task);
        try
        {
            await first;
        }
        catch (ServiceUnavailableException)
        {
            // In flight when it timed out: either outcome, as with any send.
        }
        Assert.Equal(1, Volatile.Read(ref _sendsStarted));
        Assert.DoesNotContain(Sent().SelectMany(g => g.Comments), c => late.Any(s => s.CommentId == c.CommentId));
    }

    [Fact]
    public async Task Submission_whose_reader_gave_up_before_it_was_sent_is_left_out()
    {
        _confirmHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _queue.AcceptAsync(Submissions.Friendly(), CancellationToken.None);
        await Eventually.Until(() => Volatile.Read(ref _sendsStarted), n => n == 1, "the first send");
        using var aborted = new CancellationTokenSource();
        var abandoned = Submissions.Friendly();
        var kept = Submissions.Friendly();
        var abandonedAccepted = _queue.AcceptAsync(abandoned, aborted.Token);
        var keptAccepted = _queue.AcceptAsync(kept, CancellationToken.None);

        await aborted.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandonedAccepted);
        _confirmHeld.SetResult();
        await Task.WhenAll(first, keptAccepted);

        var sent = Sent().SelectMany(g => g.Comments).Select(c => c.CommentId).ToList();
        Assert.Contains(kept.CommentId, sent);
        Assert.DoesNotContain(abandoned.CommentId, sent);
    }

    [Fact]
    public async Task Submissions_still_waiting_at_shutdown_are_sent_before_it_completes()
    {
        _confirmHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = Enumerable.Range(0, 6).Select(_ => _queue.AcceptAsync(Submissions.Friendly(), CancellationToken.None)).ToArray();
        await Eventually.Until(() => Volatile.Read(ref _sendsStarted), n => n == 1, "the first send");

        var disposed = _queue.DisposeAsync().AsTask();
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => _queue.AcceptAsync(Submissions.Friendly(), CancellationToken.None));
        _confirmHeld.SetResult();
        await disposed;

        await Task.WhenAll(accepted);
        Assert.Equal(6, Sent().Sum(g => g.Comments.Count));
    }
}
