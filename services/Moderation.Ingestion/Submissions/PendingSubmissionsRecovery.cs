using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;

namespace Moderation.Ingestion.Submissions;

/// <summary>At start-up, hands every stored-but-unscored submission to the scorer again (standalone mode).</summary>
internal sealed partial class PendingSubmissionsRecovery(
    IServiceScopeFactory scopes,
    BrokerSubmissionQueue queue,
    ILogger<PendingSubmissionsRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var pending = await db.Comments.AsNoTracking()
            .Where(c => c.Status == CommentStatus.Pending)
            .OrderBy(c => c.SubmittedAt)
            .ToListAsync(stoppingToken);
        foreach (var comment in pending)
            await queue.AcceptAsync(comment.ToSubmission(), stoppingToken);
        if (pending.Count > 0) LogResumed(logger, pending.Count);
    }

    [LoggerMessage(LogLevel.Information, "Resumed {Count} submissions accepted before the last stop")]
    private static partial void LogResumed(ILogger logger, int count);
}
