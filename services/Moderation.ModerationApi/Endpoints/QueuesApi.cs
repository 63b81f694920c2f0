using System.Security.Claims;
using Moderation.Data;
using Moderation.Data.Sites;
using Moderation.ModerationApi.Queues;

namespace Moderation.ModerationApi.Endpoints;

/// <summary><c>/queues/{queue}</c> and <c>/counts</c>: what waits for a moderator, filtered, sorted, cursor-paged.</summary>
public static class QueuesApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    /// <summary>The listing's query string, read as text so that each bad value gets its own message.</summary>
    public sealed record QueueQueryString(
        string? SiteId, string? ThreadId, string? Reason, string? MinScore, string? MaxScore,
        string? From, string? To, string? Sort, string? Cursor, string? Limit);

    public static RouteGroupBuilder MapQueuesApi(this RouteGroupBuilder moderation)
    {
        moderation.MapGet("/queues/{queue}", ListAsync)
            .WithSummary("A queue (held, reported, spam, approved): filters, sort, cursor paging.")
            .Produces<QueuePage>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        moderation.MapGet("/counts", CountsAsync)
            .WithSummary("How many comments wait in each queue (approved: the last 24 hours).")
            .Produces<QueueCounts>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        return moderation;
    }

    private static async Task<IResult> ListAsync(string queue, [AsParameters] QueueQueryString query, ModerationDb db,
        ISiteRegistry registry, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!QueueFilter.TryParseQueue(queue, out var name))
            errors["queue"] = ["Queue must be one of held, reported, spam, approved."];
        var (sites, forbidden) = QueueScope.Sites(user, registry, query.SiteId, errors);
        if (forbidden is not null) return forbidden;

        var minScore = QueueScope.Parse<double>(query.MinScore, "minScore", errors, "a number from 0 to 1");
        var maxScore = QueueScope.Parse<double>(query.MaxScore, "maxScore", errors, "a number from 0 to 1");
        var from = QueueScope.ParseTime(query.From, "from", errors);
        var to = QueueScope.ParseTime(query.To, "to", errors);
        QueueScope.CheckRanges(minScore, maxScore, from, to, errors);

        var sort = QueueSort.Newest;
        if (query.Sort is { Length: > 0 } && !QueueFilter.TryParseSort(query.Sort, out sort))
            errors["sort"] = ["Sort must be one of newest, oldest, score, scoreAsc."];
        var limit = QueueScope.Parse<int>(query.Limit, "limit", errors, $"a whole number from 1 to {MaxLimit}") ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"limit must be from 1 to {MaxLimit}."];
        QueueCursor? cursor = null;
        if (query.Cursor is { Length: > 0 } text)
        {
            if (QueueCursor.TryDecode(text, sort, out var decoded)) cursor = decoded;
            else errors["cursor"] = ["The cursor is not one this listing gave out (with this sort)."];
        }
        if (query.ThreadId is { Length: 0 }) errors["threadId"] = ["threadId must not be empty."];
        if (query.Reason is { Length: 0 or > 100 }) errors["reason"] = ["reason must be 1 to 100 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The queue request has invalid parameters.");

        var filter = new QueueFilter(name, sites, query.ThreadId, query.Reason, minScore, maxScore, from, to);
        return TypedResults.Ok(await QueueQuery.PageAsync(db, filter, sort, cursor, limit, clock.GetUtcNow().UtcDateTime, ct));
    }

    private static async Task<IResult> CountsAsync(string? siteId, ModerationDb db, ISiteRegistry registry, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (sites, forbidden) = QueueScope.Sites(user, registry, siteId, errors);
        if (forbidden is not null) return forbidden;
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await QueueQuery.CountsAsync(db, sites, clock.GetUtcNow().UtcDateTime, ct));
    }
}
