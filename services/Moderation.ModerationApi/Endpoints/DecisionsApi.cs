using System.Security.Claims;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.ModerationApi.Auth;
using Moderation.ModerationApi.Decisions;
using Moderation.ModerationApi.Queues;
using Microsoft.EntityFrameworkCore;

namespace Moderation.ModerationApi.Endpoints;

/// <summary>A comment's detail and decisions: one comment, many by id, or a whole filtered queue.</summary>
public static class DecisionsApi
{
    public const int DefaultFilterMax = 10_000;

    public sealed record DecisionRequest(string? Decision, string? Reason, int? Revision);

    public sealed record DecisionResult(Guid Id, [property: System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<CommentStatus>))] CommentStatus Status, int Revision);

    public sealed record BulkDecisionRequest(string? Decision, string? Reason, Guid[]? Ids);

    public sealed record BulkDecisionResult(int Applied, int Unchanged, IReadOnlyList<Guid> Conflicts, IReadOnlyList<Guid> NotFound);

    public sealed record FilterDecisionRequest(string? Decision, string? Reason, string? Queue, string? SiteId, string? ThreadId,
        double? MinScore, double? MaxScore, DateTime? From, DateTime? To, int? Max);

    public sealed record FilterDecisionResult(int Applied);

    public static RouteGroupBuilder MapDecisionsApi(this RouteGroupBuilder moderation)
    {
        moderation.MapGet("/comments/{id:guid}", DetailAsync)
            .WithSummary("Everything stored about a comment, its reports, its author's history and its parent.")
            .Produces<CommentDetail>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        moderation.MapPost("/comments/{id:guid}/decision", DecideAsync)
            .WithSummary("Approve, reject, spam, notSpam or delete one comment; 409 when another decision won.")
            .Produces<DecisionResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);
        moderation.MapPost("/decisions", DecideManyAsync)
            .WithSummary("One decision for up to 1000 comments by id.")
            .Produces<BulkDecisionResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        moderation.MapPost("/decisions/by-filter", DecideByFilterAsync)
            .WithSummary("One decision for every comment of a queue that matches a filter (at most max, default 10000).")
            .Produces<FilterDecisionResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        return moderation;
    }

    private static async Task<IResult> DetailAsync(Guid id, ModerationDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var detail = await CommentDetails.LoadAsync(db, id, user.Sites(), ct);
        if (detail is null) return NotFound(id);
        return user.CanActOn(detail.SiteId) ? TypedResults.Ok(detail) : Staff.ForbiddenSite(detail.SiteId);
    }

    private static async Task<IResult> DecideAsync(Guid id, DecisionRequest request, CommentDecider decider, ModerationDb db,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var decision = Decision.Parse(request.Decision, request.Reason, errors);
        if (request.Revision is < 0) errors["revision"] = ["revision must not be negative."];
        if (decision is null || errors.Count > 0) return Invalid(errors);

        var comments = await decider.LoadAsync([id], ct);
        if (comments is not [var comment]) return NotFound(id);
        if (!user.CanActOn(comment.SiteId)) return Staff.ForbiddenSite(comment.SiteId);

        var outcome = await decider.ApplyAsync(decision, comments, request.Revision, user, ct);
        var now = await db.Comments.AsNoTracking().Where(c => c.Id == id).Select(c => new DecisionResult(c.Id, c.Status, c.Revision)).FirstAsync(ct);
        if (outcome.Conflicts.Count == 0) return TypedResults.Ok(now);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Another decision won.",
            detail: now.Status == CommentStatus.Pending
                ? "The comment has not been scored yet; decide once it is in a queue."
                : $"The comment is now {QueueFilter.Name(now.Status)} at revision {now.Revision}; reload it and decide again.",
            extensions: new Dictionary<string, object?> { ["currentStatus"] = QueueFilter.Name(now.Status), ["currentRevision"] = now.Revision });
    }

    private static async Task<IResult> DecideManyAsync(BulkDecisionRequest request, CommentDecider decider, ClaimsPrincipal user,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var decision = Decision.Parse(request.Decision, request.Reason, errors);
        if (request.Ids is not { Length: > 0 and <= CommentDecider.MaxBatch })
            errors["ids"] = [$"ids must list 1 to {CommentDecider.MaxBatch} comment ids."];
        if (decision is null || errors.Count > 0) return Invalid(errors);

        var ids = request.Ids!.Distinct().ToList();
        var comments = await decider.LoadAsync(ids, ct);
        // All or nothing: a scoped key naming a comment of another site changes none of them.
        if (comments.FirstOrDefault(c => !user.CanActOn(c.SiteId)) is { } other) return Staff.ForbiddenSite(other.SiteId);

        var outcome = await decider.ApplyAsync(decision, comments, expectedRevision: null, user, ct);
        var found = comments.Select(c => c.Id).ToHashSet();
        return TypedResults.Ok(new BulkDecisionResult(outcome.Applied.Count, outcome.Unchanged.Count, outcome.Conflicts,
            [.. ids.Where(id => !found.Contains(id))]));
    }

    private static async Task<IResult> DecideByFilterAsync(FilterDecisionRequest request, CommentDecider decider, ModerationDb db,
        ISiteRegistry registry, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var decision = Decision.Parse(request.Decision, request.Reason, errors);
        if (!QueueFilter.TryParseQueue(request.Queue, out var queue))
            errors["queue"] = ["queue must be one of held, reported, spam, approved."];
        if (string.IsNullOrEmpty(request.SiteId)) errors["siteId"] = ["siteId is required: a decision by filter acts on one site."];
        var (sites, forbidden) = QueueScope.Sites(user, registry, request.SiteId, errors);
        if (forbidden is not null) return forbidden;
        QueueScope.CheckRanges(request.MinScore, request.MaxScore, request.From, request.To, errors);
        if (request.ThreadId is { Length: 0 }) errors["threadId"] = ["threadId must not be empty."];
        var max = request.Max ?? DefaultFilterMax;
        if (max is < 1 or > DefaultFilterMax) errors["max"] = [$"max must be from 1 to {DefaultFilterMax}."];
        if (decision is null || errors.Count > 0) return Invalid(errors);

        var filter = new QueueFilter(queue, sites, request.ThreadId, null, request.MinScore, request.MaxScore,
            ToUtc(request.From), ToUtc(request.To));
        var ids = await db.Comments.AsNoTracking().InQueue(filter, clock.GetUtcNow().UtcDateTime)
            .OrderBy(c => c.SubmittedAt).Select(c => c.Id).Take(max).ToListAsync(ct);
        var applied = 0;
        foreach (var chunk in ids.Chunk(CommentDecider.MaxBatch))
            applied += (await decider.ApplyAsync(decision, await decider.LoadAsync(chunk, ct), expectedRevision: null, user, ct)).Applied.Count;
        return TypedResults.Ok(new FilterDecisionResult(applied));
    }

    private static DateTime? ToUtc(DateTime? time) => time?.ToUniversalTime();

    private static IResult Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The decision has invalid fields.");

    private static IResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No comment {id}.");
}
