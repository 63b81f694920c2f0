using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.Ingestion.Reports;
using Moderation.Ingestion.Submissions;

namespace Moderation.Ingestion.Endpoints;

/// <summary><c>POST /api/v1/comments/{id}/reports</c>: a reader flags a published comment for the moderators.</summary>
public static class ReportsApi
{
    /// <summary>A report is a reason and nothing else; anything bigger is not one.</summary>
    public const int MaxRequestBytes = 1024;

    public sealed record ReportRequest(string? Reason);

    public sealed record ReportResponse(int ReportCount);

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/comments/{id:guid}/reports", ReportAsync)
            .WithTags("Comments")
            .WithName("ReportComment")
            .WithSummary("Report a published comment (spam, abuse, off-topic, other); one report per reader.")
            .Accepts<ReportRequest>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    public static async Task<Results<Accepted<ReportResponse>, ValidationProblem, ProblemHttpResult>> ReportAsync(
        Guid id, HttpContext http, ModerationDb db, ISiteRegistry sites, SubmissionRateLimiter limiter, ReaderReports reports)
    {
        var (request, problem) = await CommentsApi.ReadJsonAsync(http, MaxRequestBytes, IngestionJson.Default.ReportRequest, "report");
        if (problem is not null) return problem;
        if (!ReportReasons.TryParse(request!.Reason, out var reason))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"reason must be one of {string.Join(", ", ReportReasons.Names)}."],
            }, title: "The report has invalid fields.");

        // Only what readers can see can be reported; anything else is as good as missing to them.
        var comment = await db.Comments.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.SiteId, c.ThreadId, c.Status }).FirstOrDefaultAsync(http.RequestAborted);
        if (comment is not { Status: CommentStatus.Approved } || sites.Find(comment.SiteId) is not { } site)
            return CommentsApi.Problem(StatusCodes.Status404NotFound, "Not found.", "No published comment has this id.");
        if (CommentsApi.OriginProblem(http, site) is { } originProblem) return originProblem;
        var ip = CommentsApi.ClientIp(http);
        // A partition of its own: reporting does not use up the reader's comment permits, nor the reverse.
        if (CommentsApi.RateProblem(http, limiter, site.Id + "/reports", ip, site.CommentsPerMinutePerIp, "reports") is { } rateProblem)
            return rateProblem;

        var reported = await reports.ReportAsync(id, comment.ThreadId, site, reason, ip, http.RequestAborted);
        return TypedResults.Accepted((string?)null, new ReportResponse(reported.ReportCount));
    }
}
