using MassTransit;
using Moderation.Contracts;
using Moderation.Scoring.Scoring;
using Moderation.ServiceDefaults;

namespace Moderation.Scoring.Consumers;

/// <summary>
/// Scores the submissions a batch at a time. The endpoint's retry policy applies to the whole batch: an outage
/// holds and retries it. If the batch fails for anything else, its messages are scored one by one: each that
/// succeeds is marked consumed, so that it is acknowledged although the batch fails and is left out of the
/// batch's retries; only the ones that keep failing end in <c>score-comments_error</c>, each with its exception.
/// </summary>
public sealed partial class CommentSubmittedConsumer(CommentScoringService scoring, ILogger<CommentSubmittedConsumer> logger)
    : IConsumer<Batch<CommentSubmitted>>
{
    public async Task Consume(ConsumeContext<Batch<CommentSubmitted>> context)
    {
        var ct = context.CancellationToken;
        // A retry of the batch: the messages already scored one by one are done.
        var batch = context.Message.Where(m => !m.ReceiveContext.IsDelivered).ToList();
        try
        {
            await scoring.ScoreBatchAsync([.. batch.Select(m => m.Message)], ct);
        }
        catch (Exception ex) when (batch.Count > 1 && !MessagingExtensions.IsOutage(ex))
        {
            LogBatchFailed(logger, batch.Count, ex.Message);
            await ScoreOneByOneAsync(batch, ct);
        }
    }

    private async Task ScoreOneByOneAsync(List<ConsumeContext<CommentSubmitted>> batch, CancellationToken ct)
    {
        Exception? failed = null;
        foreach (var message in batch)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await scoring.ScoreAsync(message.Message, ct);
                await message.NotifyConsumed(System.Diagnostics.Stopwatch.GetElapsedTime(started), nameof(CommentSubmittedConsumer));
            }
            catch (Exception ex) when (!MessagingExtensions.IsOutage(ex))
            {
                failed ??= ex;
            }
        }
        if (failed is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
    }

    [LoggerMessage(LogLevel.Warning, "A batch of {Count} failed ({Error}); scoring its comments one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);
}
