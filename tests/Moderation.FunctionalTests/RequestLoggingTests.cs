using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Moderation.FunctionalTests.Infrastructure;
using Serilog.Core;
using Serilog.Events;

namespace Moderation.FunctionalTests;

/// <summary>
/// The per-request log line at the default Information level: an accepted comment writes none (at ingestion's
/// rate that line cost a tenth to a fifth of its CPU), a refused one still does.
/// </summary>
public sealed class RequestLoggingTests(RequestLoggingTests.LoggingApp app) : IClassFixture<RequestLoggingTests.LoggingApp>
{
    private readonly CommentsClient _comments = new(app.CreateClient());

    [Fact]
    public async Task Accepted_comment_writes_no_information_request_line()
    {
        await _comments.SubmitAsync(CommentsClient.Friendly(CommentsClient.NewThread()));

        // A refusal after it is logged: once its line is there, the accepted comment's would have been too.
        var refused = await _comments.PostAsync(CommentsClient.Json("[]"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var lines = await app.Events.RequestLinesAsync(e => Status(e) == 400);
        // (A slow one is still written, as a warning: a cold test host can take over a second.)
        Assert.DoesNotContain(lines, e => Status(e) == 202 && e.Level == LogEventLevel.Information);
    }

    [Fact]
    public async Task Refused_comment_writes_an_information_request_line()
    {
        var response = await _comments.PostAsync(new JsonObject { ["siteId"] = StandaloneApp.Site });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var lines = await app.Events.RequestLinesAsync(e => Status(e) == 400);
        Assert.Contains(lines, e => e.Level == LogEventLevel.Information && Status(e) == 400 && Path(e) == "/api/v1/comments");
    }

    private static int Status(LogEvent e) => e.Properties["StatusCode"] is ScalarValue { Value: int status } ? status : -1;

    private static string? Path(LogEvent e) => (e.Properties["RequestPath"] as ScalarValue)?.Value as string;

    /// <summary>The standalone host at Serilog's default level, its events captured through a sink registered as a service.</summary>
    public sealed class LoggingApp : StandaloneApp
    {
        public CapturedEvents Events { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
            builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(Events));
        }
    }
}
