using MassTransit;
using Moderation.Contracts;
using Moderation.Scoring.Scoring;

namespace Moderation.Scoring.Consumers;

public sealed class CommentSubmittedConsumer(CommentScoringService scoring, ILogger<CommentSubmittedConsumer> logger)
    : IConsumer<CommentSubmitted>
{
    public async Task Consume(ConsumeContext<CommentSubmitted> context)
    {
        var m = context.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CommentId"] = m.CommentId, ["SiteId"] = m.SiteId });
        await scoring.ScoreAsync(m, context.CancellationToken);
    }
}
