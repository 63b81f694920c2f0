using MassTransit;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Scoring.Scoring;
using Moderation.ServiceDefaults;

namespace Moderation.Scoring.Consumers;

/// <summary>
/// Scores the groups of submissions ingestion sends (<see cref="CommentsSubmitted"/>): the groups of a batch are
/// put together and scored <see cref="ScoringBatchOptions.Size"/> comments at a time. An outage holds and retries
/// the batch. If the batch fails for anything else, each group's comments are scored one by one, and a comment that
/// fails alone is sent back to the queue as a message of its own (<see cref="CommentSubmitted"/>), so that it is
/// retried and, if it keeps failing, faults into <c>score-comments_error</c> by itself, with its exception, while
/// the rest of its group is stored.
/// </summary>
public sealed partial class CommentsSubmittedConsumer(
    CommentScoringService scoring, IOptions<ScoringBatchOptions> options, ILogger<CommentsSubmittedConsumer> logger)
    : IConsumer<Batch<CommentsSubmitted>>
{
    public async Task Consume(ConsumeContext<Batch<CommentsSubmitted>> context)
    {
        var ct = context.CancellationToken;
        // A retry of the batch: the groups already scored one by one are done.
        var groups = context.Message.Where(m => !m.ReceiveContext.IsDelivered).ToList();
        try
        {
            foreach (var chunk in groups.SelectMany(g => g.Message.Comments).Chunk(options.Value.Size))
                await scoring.ScoreBatchAsync(chunk, ct);
        }
        catch (Exception ex) when (!MessagingExtensions.IsOutage(ex))
        {
            LogBatchFailed(logger, groups.Sum(g => g.Message.Comments.Count), ex.Message);
            foreach (var group in groups) await ScoreOneByOneAsync(group, ct);
        }
    }

    private async Task ScoreOneByOneAsync(ConsumeContext<CommentsSubmitted> group, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var failed = new List<CommentSubmitted>();
        foreach (var submission in group.Message.Comments)
        {
            try
            {
                await scoring.ScoreAsync(submission, ct);
            }
            catch (Exception ex) when (!MessagingExtensions.IsOutage(ex))
            {
                LogSentAlone(logger, submission.CommentId, ex.Message);
                failed.Add(submission);
            }
        }
        if (failed.Count > 0)
        {
            // Confirmed by the broker before the group is acknowledged: a crash in between delivers the group again,
            // and its stored comments are not scored twice.
            var queue = await group.GetSendEndpoint(group.ReceiveContext.InputAddress);
            await queue.SendBatch(failed, send => send.Durable = true, ct);
        }
        await group.NotifyConsumed(System.Diagnostics.Stopwatch.GetElapsedTime(started), nameof(CommentsSubmittedConsumer));
    }

    [LoggerMessage(LogLevel.Warning, "A batch of {Count} grouped submissions failed ({Error}); scoring them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);

    [LoggerMessage(LogLevel.Warning, "{CommentId} failed in its group ({Error}); sent back to the queue alone")]
    private static partial void LogSentAlone(ILogger logger, Guid commentId, string error);
}
