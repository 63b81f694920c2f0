using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.ServiceDefaults;

namespace Moderation.Ingestion.Submissions;

/// <summary>Makes a submission durable. When this returns, the comment will be scored.</summary>
public interface ISubmissionQueue
{
    Task AcceptAsync(CommentSubmitted submission, CancellationToken cancellationToken);
}

/// <summary>
/// Sends to the scoring queue and waits for the broker's confirm (durable queue, persistent message).
/// Submissions that arrive while earlier ones wait for their confirm travel together: each sender takes all that
/// are waiting (up to <see cref="IngestionOptions.MaxCommentsPerMessage"/>) into one <see cref="CommentsSubmitted"/>
/// message, with <see cref="IngestionOptions.ConcurrentSends"/> messages in flight at most. This is a database's
/// group commit: a lone submission is sent at once, alone, and under load one broker write and one confirm serve
/// many. Each caller's 202 still waits for the confirm of the message that carries its comment; a broker that does
/// not confirm in time is a 503 for every comment in that message, so nothing is half-accepted.
/// </summary>
public sealed class BrokerSubmissionQueue : ISubmissionQueue, IAsyncDisposable
{
    private static readonly Uri ScoringQueue = new($"queue:{QueueNames.Scoring}");

    private readonly IBus _bus;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _timeout;
    private readonly int _groupLimit;
    private readonly Channel<Waiting> _waiting = Channel.CreateUnbounded<Waiting>();
    private readonly Task[] _senders;

    private sealed record Waiting(CommentSubmitted Submission, DateTimeOffset Deadline)
    {
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public BrokerSubmissionQueue(IBus bus, IOptions<IngestionOptions> options, TimeProvider clock)
    {
        _bus = bus;
        _clock = clock;
        _timeout = TimeSpan.FromSeconds(options.Value.AcceptTimeoutSeconds);
        _groupLimit = options.Value.MaxCommentsPerMessage;
        _senders = [.. Enumerable.Range(0, options.Value.ConcurrentSends).Select(_ => Task.Run(SendWaitingAsync))];
    }

    public async Task AcceptAsync(CommentSubmitted submission, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(submission, _clock.GetUtcNow() + _timeout);
        if (!_waiting.Writer.TryWrite(waiting)) throw Unavailable(null); // shutting down
        // A reader who gives up (the request aborted) before a sender takes the submission is left out of the send.
        using var abandoned = cancellationToken.Register(() => waiting.Sent.TrySetCanceled(cancellationToken));
        await waiting.Sent.Task;
    }

    private async Task SendWaitingAsync()
    {
        var group = new List<Waiting>(_groupLimit);
        while (await _waiting.Reader.WaitToReadAsync())
        {
            group.Clear();
            var now = _clock.GetUtcNow();
            while (group.Count < _groupLimit && _waiting.Reader.TryRead(out var next))
            {
                if (next.Sent.Task.IsCompleted) continue; // abandoned by its reader
                // Waited out its whole timeout behind a broker that does not answer: a 503, and never sent.
                if (next.Deadline < now) next.Sent.TrySetException(Unavailable(null));
                else group.Add(next);
            }
            if (group.Count > 0) await SendAsync(group);
        }
    }

    private async Task SendAsync(List<Waiting> group)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_timeout);
            var endpoint = await _bus.GetSendEndpoint(ScoringQueue);
            if (_groupLimit == 1) // grouping turned off: the message of the versions before groups
                await endpoint.Send(group[0].Submission, context => context.Durable = true, timeout.Token);
            else
                await endpoint.Send(new CommentsSubmitted([.. group.Select(w => w.Submission)]), context => context.Durable = true, timeout.Token);
            foreach (var waiting in group) waiting.Sent.TrySetResult();
        }
        catch (Exception ex)
        {
            foreach (var waiting in group) waiting.Sent.TrySetException(Unavailable(ex));
        }
    }

    private static ServiceUnavailableException Unavailable(Exception? inner) =>
        new("The message broker is unavailable; the comment was not accepted. Try again shortly.", inner);

    /// <summary>Sends what is still waiting, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _waiting.Writer.TryComplete();
        await Task.WhenAll(_senders);
    }
}

/// <summary>
/// For the standalone host, whose in-memory transport forgets on a crash: the submission is stored as
/// pending first, then handed to the scorer; <see cref="PendingSubmissionsRecovery"/> resumes the rest at start.
/// </summary>
public sealed class StoreFirstSubmissionQueue(ModerationDb db, BrokerSubmissionQueue broker) : ISubmissionQueue
{
    public async Task AcceptAsync(CommentSubmitted submission, CancellationToken cancellationToken)
    {
        db.Comments.Add(submission.ToPendingComment());
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await broker.AcceptAsync(submission, CancellationToken.None);
        }
        catch (ServiceUnavailableException)
        {
            // Stored, so accepted: answering 503 now would make the reader post it twice. The recovery sweep scores it.
        }
    }
}
