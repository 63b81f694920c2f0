using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Moderation.ServiceDefaults;

/// <summary>A dependency is down: the client should come back later, and nothing was half-done.</summary>
public sealed class ServiceUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
}

/// <summary>Turns every unhandled exception into problem details; outages into 503 with Retry-After.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            ServiceUnavailableException e => (StatusCodes.Status503ServiceUnavailable, e.Message),
            BadHttpRequestException e => (e.StatusCode, e.Message),
            _ when Moderation.Data.TransientFailures.IsTransient(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "A backing service is unavailable; try again shortly."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
            http.Response.Headers.RetryAfter = ((int)ServiceUnavailableException.RetryAfter.TotalSeconds).ToString();
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title },
        });
    }
}
