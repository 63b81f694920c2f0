using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.Ingestion.Submissions;
using Moderation.ServiceDefaults;
using Prometheus;

namespace Moderation.Ingestion.Endpoints;

/// <summary>The public write side: readers submit comments and follow their status.</summary>
public static partial class CommentsApi
{
    public static IEndpointRouteBuilder MapCommentsApi(this IEndpointRouteBuilder app)
    {
        var comments = app.MapGroup("/api/v1/comments").WithTags("Comments");
        comments.MapPost("", SubmitAsync)
            .WithName("SubmitComment")
            .WithSummary("Submit a comment; 202 once it is durably queued for scoring.")
            .Accepts<SubmitCommentRequest>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        comments.MapGet("{id:guid}/status", GetStatusAsync)
            .WithName("GetCommentStatus")
            .WithSummary("The submitter's view of their comment: pending, approved, awaitingModeration or rejected.");
        return app;
    }

    public sealed record SubmitDependencies(
        HttpContext Http,
        ISiteRegistry Sites,
        ISubmissionQueue Queue,
        SubmissionRateLimiter RateLimiter,
        StatusTokens Tokens,
        IOptions<IngestionOptions> Options,
        ILoggerFactory Logs);

    public static async Task<Results<Accepted<SubmitCommentResponse>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        [AsParameters] SubmitDependencies deps)
    {
        var http = deps.Http;
        var (request, problem) = await ReadJsonAsync(http, deps.Options.Value.MaxRequestBytes, IngestionJson.Default.SubmitCommentRequest, "comment");
        if (problem is not null) return problem;

        var (comment, errors) = CommentValidator.Validate(request!);
        if (comment is null) return TypedResults.ValidationProblem(errors, title: "The comment has invalid fields.");

        var site = deps.Sites.Find(comment.SiteId);
        if (site is null)
            return TypedResults.ValidationProblem(Field("siteId", $"Unknown site '{comment.SiteId}'."), title: "Unknown site.");

        if (CommentValidator.ThreadUrlError(comment, site) is { } threadUrlError)
            return TypedResults.ValidationProblem(Field("threadUrl", threadUrlError), title: "The comment has invalid fields.");
        if (OriginProblem(http, site) is { } originProblem) return originProblem;
        var ip = ClientIp(http);
        if (RateProblem(http, deps.RateLimiter, site.Id, ip, site.CommentsPerMinutePerIp, "comments") is { } rateProblem) return rateProblem;

        var threadProblem = await CheckThreadAsync(http, site, comment);
        if (threadProblem is not null) return threadProblem;

        var submission = ToSubmission(comment, http, ip);
        var logger = deps.Logs.CreateLogger(typeof(CommentsApi));
        using (logger.BeginScope(new Dictionary<string, object> { ["CommentId"] = submission.CommentId, ["SiteId"] = site.Id }))
        {
            await deps.Queue.AcceptAsync(submission, http.RequestAborted);
            LogAccepted(logger, submission.ThreadId);
            // No exemplar: the default one reads the clock and the current trace for every comment, and none is scraped.
            ModerationMetrics.CommentsAccepted.WithLabels(site.Id).Inc(Exemplar.None);
        }

        var statusUrl = $"/api/v1/comments/{submission.CommentId}/status?token={deps.Tokens.For(submission.CommentId)}";
        return TypedResults.Accepted(statusUrl, new SubmitCommentResponse(submission.CommentId, "pending", statusUrl));
    }

    public static async Task<Results<Ok<CommentStatusResponse>, NotFound>> GetStatusAsync(
        Guid id, string? token, StatusTokens tokens, ModerationDb db, CancellationToken cancellationToken)
    {
        if (!tokens.IsValid(id, token)) return TypedResults.NotFound();
        var status = await db.Comments.Where(c => c.Id == id).Select(c => (CommentStatus?)c.Status).FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new CommentStatusResponse(id, status switch
        {
            null or CommentStatus.Pending => "pending",
            CommentStatus.Approved => "approved",
            // Held and spam read the same to the submitter: a spammer learns nothing from the difference.
            CommentStatus.Held or CommentStatus.Spam => "awaitingModeration",
            _ => "rejected",
        }));
    }

    /// <summary>Reads the JSON body by hand so that each way it can be wrong gets its own clear problem.</summary>
    internal static async Task<(T? Request, ProblemHttpResult? Problem)> ReadJsonAsync<T>(HttpContext http, int maxBytes,
        JsonTypeInfo<T> type, string what) where T : class
    {
        if (!http.Request.HasJsonContentType())
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", $"Send the {what} as application/json."));
        if (http.Request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes, what));

        var sizeLimit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false }) sizeLimit.MaxRequestBodySize = maxBytes;
        try
        {
            var request = await JsonSerializer.DeserializeAsync(http.Request.Body, type, http.RequestAborted);
            return request is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON.", "The body must be a JSON object."))
                : (request, null);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" at {ex.Path}";
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON.", $"The body is not a valid {what}{where} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})."));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes, what));
        }
    }

    /// <summary>The checks that need the database. Most comments need none of them (no reply, threads that never
    /// close), so the database context is only taken from the pool when one does.</summary>
    private static async Task<ProblemHttpResult?> CheckThreadAsync(HttpContext http, Site site, ValidComment comment)
    {
        if (comment.ParentId is null && site.CloseAfterDays is null) return null;
        var db = http.RequestServices.GetRequiredService<ModerationDb>();
        var ct = http.RequestAborted;
        if (comment.ParentId is { } parentId)
        {
            var parent = await db.Comments.AsNoTracking().Where(c => c.Id == parentId)
                .Select(c => new { c.SiteId, c.ThreadId, c.Status }).FirstOrDefaultAsync(ct);
            if (parent is null || parent.SiteId != site.Id || parent.Status == CommentStatus.Deleted)
                return ValidationProblemResult("parentId", "The comment replied to does not exist.");
            if (parent.ThreadId != comment.ThreadId)
                return ValidationProblemResult("parentId", "The comment replied to is in another thread.");
            // Readers can only reply to what they can see: a reply must never point at a hidden comment.
            if (parent.Status != CommentStatus.Approved)
                return ValidationProblemResult("parentId", "The comment replied to is not published.");
        }
        if (site.CloseAfterDays is { } days)
        {
            var firstAt = await db.Comments.Where(c => c.SiteId == site.Id && c.ThreadId == comment.ThreadId)
                .MinAsync(c => (DateTime?)c.SubmittedAt, ct);
            if (firstAt is not null && firstAt.Value.AddDays(days) < DateTime.UtcNow)
                return Problem(StatusCodes.Status409Conflict, "Thread closed.", $"Comments on this thread closed {days} days after the first one.");
        }
        return null;
    }

    internal static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>403 for a page on an origin the site does not list (no Origin header: not a browser, nothing to check).</summary>
    internal static ProblemHttpResult? OriginProblem(HttpContext http, Site site)
    {
        var origin = http.Request.Headers.Origin.ToString();
        return origin.Length > 0 && !site.AllowsOrigin(origin)
            ? Problem(StatusCodes.Status403Forbidden, "Origin not allowed.", $"Pages at {origin} may not post to site '{site.Id}'.")
            : null;
    }

    /// <summary>429 with Retry-After once this address has used its permits for <paramref name="partition"/> this minute.</summary>
    internal static ProblemHttpResult? RateProblem(HttpContext http, SubmissionRateLimiter limiter, string partition, string ip, int perMinute, string what)
    {
        if (limiter.TryAcquire(partition, ip, perMinute, out var retryAfter)) return null;
        http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString("0");
        return Problem(StatusCodes.Status429TooManyRequests, $"Too many {what}.", $"Too many {what} from this address; wait a little and try again.");
    }

    private static CommentSubmitted ToSubmission(ValidComment c, HttpContext http, string ip)
    {
        var headers = http.Request.Headers;
        return new CommentSubmitted(
            NewId.NextGuid(), c.SiteId, c.ThreadId, c.ThreadUrl, c.ThreadTitle, c.ParentId,
            c.AuthorName, c.AuthorEmail, c.AuthorUrl, c.Body, DateTime.UtcNow, ip,
            Truncate(headers.UserAgent.ToString(), 512), Truncate(headers.Referer.ToString(), FieldLimits.Url),
            Truncate(headers.AcceptLanguage.ToString().Split(',')[0].Trim(), 100), c.HoneypotFilled, c.ElapsedMs);
    }

    private static string? Truncate(string value, int max) =>
        value.Length == 0 ? null : value.Length <= max ? value : value[..max];

    private static Dictionary<string, string[]> Field(string field, string message) => new() { [field] = [message] };

    private static ProblemHttpResult ValidationProblemResult(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(Field(field, message))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The comment has invalid fields.",
        });

    private static ProblemHttpResult TooLarge(int maxBytes, string what) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Request too large.", $"A {what} request may be at most {maxBytes} bytes.");

    internal static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    [LoggerMessage(LogLevel.Debug, "Accepted a comment on thread {ThreadId}")]
    private static partial void LogAccepted(ILogger logger, string threadId);
}
