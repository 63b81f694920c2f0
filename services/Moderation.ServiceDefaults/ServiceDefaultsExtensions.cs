using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Moderation.ServiceDefaults;

/// <summary>
/// What every Moderation service has: logging, health, problem details, OpenAPI. The host pieces (logging, problem
/// details, trusted proxies, the health endpoints) are public on their own for a host without the data model, the gateway.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";
    public const string LiveTag = "live";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.AddHostDefaults(serviceName);
        builder.Services.AddOpenApi();
        builder.Services.AddSiteCors();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>Logging, problem details, the trusted proxies' forwarded headers and the liveness check.</summary>
    public static IHostApplicationBuilder AddHostDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSerilog((services, log) =>
        {
            // Quiet defaults for the frameworks (per-request and per-SQL lines cost throughput under load);
            // a "Serilog:MinimumLevel" section overrides them.
            log.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
                .MinimumLevel.Override("MassTransit", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
                .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", serviceName);
            // A "Serilog:WriteTo" section replaces this default: compact JSON in containers, readable text locally.
            // Written from a background thread: a request only queues its line, rather than formatting it and
            // waiting for the console's lock (under load every request thread queued there). Lines beyond a
            // backlog of 10,000 are dropped rather than slowing the service; the rest are flushed at shutdown.
            if (!builder.Configuration.GetSection("Serilog:WriteTo").Exists())
            {
                if (builder.Configuration.GetValue<bool>("DOTNET_RUNNING_IN_CONTAINER"))
                    log.WriteTo.Async(a => a.Console(new RenderedCompactJsonFormatter()));
                else
                    log.WriteTo.Async(a => a.Console(outputTemplate:
                        "[{Timestamp:HH:mm:ss} {Level:u3}] {Service} {SourceContext}: {Message:lj}{NewLine}{Exception}"));
            }
        });

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier));
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure(TrustedProxies.FromConfiguration(builder.Configuration));
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: [LiveTag]);
        return builder;
    }

    /// <summary>Options bound from <paramref name="section"/>, validated by their data annotations when the host starts.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.Use(NoStoreForStaff);
        app.UseHostDefaults();
        app.UseCors();
        if (app.Services.GetService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>() is not null)
        {
            // Here rather than where the host would put them, so that a 401/403 gets its problem document too.
            app.UseAuthentication();
            app.UseAuthorization();
        }
        return app;
    }

    /// <summary>The client's address from the trusted proxies, problem details for exceptions and bodiless refusals, one log line per request.</summary>
    public static WebApplication UseHostDefaults(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging(options =>
        {
            options.GetLevel = RequestLogLevel;
            // This host's logger rather than the static one, which the last host built in the process owns (tests).
            options.Logger = app.Services.GetService<Serilog.ILogger>();
        });
        return app;
    }

    /// <summary>
    /// Staff answers carry personal data: no browser or proxy may keep a copy, refusals and errors included. Set as the
    /// answer starts, so after whatever the exception handler or authentication set (this callback was registered first, runs last).
    /// </summary>
    private static Task NoStoreForStaff(HttpContext http, RequestDelegate next)
    {
        if (ApiPaths.IsStaff(http.Request.Path))
            http.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.CacheControl = "no-store";
                return Task.CompletedTask;
            }, http.Response);
        return next(http);
    }

    /// <summary>Requests slower than this are logged as warnings even when they succeed.</summary>
    public static readonly TimeSpan SlowRequest = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The level of the one line Serilog writes per request. Successes are Debug: at ingestion's rate an
    /// Information line per accepted comment cost a tenth to a fifth of the service's CPU (benchmarks/README.md),
    /// and the counters at /metrics count them. What an operator must see stays visible: failures (Error),
    /// slow requests (Warning) and refusals such as bad input or rate limits (Information).
    /// <c>Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware=Debug</c> shows every request.
    /// </summary>
    public static LogEventLevel RequestLogLevel(HttpContext http, double elapsedMs, Exception? exception)
    {
        var status = http.Response.StatusCode;
        if (exception is not null || status >= 500) return LogEventLevel.Error;
        if (elapsedMs >= SlowRequest.TotalMilliseconds) return LogEventLevel.Warning;
        if (status >= 400) return LogEventLevel.Information;
        return http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments("/metrics")
            ? LogEventLevel.Verbose
            : LogEventLevel.Debug;
    }

    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        return app.MapHealthEndpoints();
    }

    /// <summary><c>/metrics</c>, <c>/health/live</c>, and <c>/health/ready</c> with each check's state.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMetrics("/metrics");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponse.WriteAsync,
        });
        return app;
    }
}
