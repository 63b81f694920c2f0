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
/// A broker that does not confirm in time is a 503: the reader is told to try again, nothing is half-accepted.
/// </summary>
public sealed class BrokerSubmissionQueue(IBus sendEndpoints, IOptions<IngestionOptions> options)
    : ISubmissionQueue
{
    private static readonly Uri ScoringQueue = new($"queue:{QueueNames.Scoring}");

    public async Task AcceptAsync(CommentSubmitted submission, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.AcceptTimeoutSeconds));
        try
        {
            var endpoint = await sendEndpoints.GetSendEndpoint(ScoringQueue);
            await endpoint.Send(submission, context => context.Durable = true, timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnavailableException("The message broker is unavailable; the comment was not accepted. Try again shortly.", ex);
        }
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
