using Microsoft.AspNetCore.Http;
using Moderation.ServiceDefaults;
using Serilog.Events;

namespace Moderation.UnitTests.ServiceDefaults;

/// <summary>Which requests an operator sees at the default Information level, and which only at Debug.</summary>
public class RequestLogLevelTests
{
    private static LogEventLevel Level(string path, int status, double elapsedMs = 5, Exception? exception = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = path;
        http.Response.StatusCode = status;
        return ServiceDefaultsExtensions.RequestLogLevel(http, elapsedMs, exception);
    }

    [Fact]
    public void Accepted_comment_is_logged_at_debug() =>
        Assert.Equal(LogEventLevel.Debug, Level("/api/v1/comments", StatusCodes.Status202Accepted));

    [Theory]
    [InlineData(StatusCodes.Status400BadRequest)]
    [InlineData(StatusCodes.Status403Forbidden)]
    [InlineData(StatusCodes.Status429TooManyRequests)]
    public void Refused_comment_is_logged_at_information(int status) =>
        Assert.Equal(LogEventLevel.Information, Level("/api/v1/comments", status));

    [Fact]
    public void Broker_outage_503_is_logged_as_error() =>
        Assert.Equal(LogEventLevel.Error, Level("/api/v1/comments", StatusCodes.Status503ServiceUnavailable));

    [Fact]
    public void Unhandled_exception_is_logged_as_error_whatever_the_status() =>
        Assert.Equal(LogEventLevel.Error, Level("/api/v1/comments", StatusCodes.Status200OK, exception: new InvalidOperationException()));

    [Fact]
    public void Slow_success_is_logged_as_warning() =>
        Assert.Equal(LogEventLevel.Warning, Level("/api/v1/comments", StatusCodes.Status202Accepted, ServiceDefaultsExtensions.SlowRequest.TotalMilliseconds + 1));

    [Theory]
    [InlineData("/health/ready")]
    [InlineData("/metrics")]
    public void Probes_and_scrapes_are_verbose(string path) =>
        Assert.Equal(LogEventLevel.Verbose, Level(path, StatusCodes.Status200OK));
}
