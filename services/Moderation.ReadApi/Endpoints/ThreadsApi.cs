using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Moderation.Data;
using Moderation.Data.Sites;
using Moderation.ReadApi.Threads;

namespace Moderation.ReadApi.Endpoints;

/// <summary>The public read side: approved comments per thread, and counts for article lists.</summary>
public static class ThreadsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxThreadsPerCount = 100;

    public static IEndpointRouteBuilder MapThreadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Threads");
        api.MapGet("comments", GetCommentsAsync)
            .WithName("GetComments")
            .WithSummary("Approved comments of a thread, oldest first, replies carrying parentId; cursor-paged; ETag.")
            .Produces<ThreadPage>()
            .Produces(StatusCodes.Status304NotModified);
        api.MapGet("counts", GetCountsAsync)
            .WithName("GetCounts")
            .WithSummary("Approved comment counts for up to 100 threads of a site.");
        return app;
    }

    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ValidationProblem>> GetCommentsAsync(
        HttpContext http, string? siteId, string? threadId, string? cursor, string? limit,
        ISiteRegistry sites, ThreadReader reader, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        CheckSite(siteId, sites, errors);
        if (string.IsNullOrWhiteSpace(threadId)) errors["threadId"] = ["threadId is required."];
        else if (threadId.Length > FieldLimits.ThreadId) errors["threadId"] = [$"threadId must be at most {FieldLimits.ThreadId} characters."];
        PageCursor? after = null;
        if (cursor is not null)
        {
            if (PageCursor.TryDecode(cursor, out var decoded)) after = decoded;
            else errors["cursor"] = ["cursor is not one this API returned."];
        }
        // Parsed here rather than bound, so that "limit=abc" is named in the problem like any other bad value.
        var pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out pageSize) || pageSize is < 1 or > MaxLimit))
            errors["limit"] = [$"limit must be a whole number between 1 and {MaxLimit}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var page = await reader.GetPageAsync(siteId!, threadId!, after, pageSize, ct);
        http.Response.Headers.ETag = page.ETag;
        // Browsers and proxies may keep it, but must ask again each time: a 304 is cheap, staleness is not.
        http.Response.Headers.CacheControl = "public, no-cache";
        if (http.Request.Headers.IfNoneMatch.Contains(page.ETag))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(page.Json, "application/json; charset=utf-8");
    }

    public static async Task<Results<Ok<ThreadCounts>, ValidationProblem>> GetCountsAsync(
        string? siteId, [FromQuery] string[]? threadId, ISiteRegistry sites, ThreadReader reader, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        CheckSite(siteId, sites, errors);
        if (threadId is null || threadId.Length == 0) errors["threadId"] = ["Give at least one threadId."];
        else if (threadId.Length > MaxThreadsPerCount) errors["threadId"] = [$"At most {MaxThreadsPerCount} threadId values at once."];
        else if (threadId.Any(string.IsNullOrWhiteSpace)) errors["threadId"] = ["threadId cannot be blank."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        return TypedResults.Ok(new ThreadCounts(siteId!, await reader.GetCountsAsync(siteId!, threadId!, ct)));
    }

    private static void CheckSite(string? siteId, ISiteRegistry sites, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(siteId)) errors["siteId"] = ["siteId is required."];
        else if (sites.Find(siteId) is null) errors["siteId"] = [$"Unknown site '{siteId}'."];
    }
}
