using MassTransit;
using Moderation.Contracts;
using Moderation.ReadApi.Caching;

namespace Moderation.ReadApi.Consumers;

/// <summary>A comment appeared on or left a thread: what was cached for that thread is out of date.</summary>
public sealed class ThreadCacheConsumer(IThreadCache cache) : IConsumer<CommentPublished>, IConsumer<CommentRemoved>
{
    public async Task Consume(ConsumeContext<CommentPublished> context) =>
        await cache.InvalidateAsync(context.Message.SiteId, context.Message.ThreadId);

    public async Task Consume(ConsumeContext<CommentRemoved> context) =>
        await cache.InvalidateAsync(context.Message.SiteId, context.Message.ThreadId);
}
