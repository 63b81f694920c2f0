using Microsoft.Extensions.DependencyInjection.Extensions;
using Moderation.Ingestion.Endpoints;
using Moderation.Ingestion.Reports;
using Moderation.Ingestion.Submissions;
using Moderation.ServiceDefaults;
using Moderation.ServiceDefaults.Outbox;

namespace Moderation.Ingestion;

public static class IngestionExtensions
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<IngestionOptions>(IngestionOptions.SectionName);
        services.AddSingleton<StatusTokens>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ReaderReports>();
        services.AddOutboxDispatcher();
        services.AddSingleton<SubmissionRateLimiter>();
        services.AddSingleton<BrokerSubmissionQueue>();
        if (builder.Configuration.GetValue<bool>($"{IngestionOptions.SectionName}:{nameof(IngestionOptions.StoreBeforeAccepting)}"))
        {
            services.AddScoped<ISubmissionQueue, StoreFirstSubmissionQueue>();
            services.AddHostedService<PendingSubmissionsRecovery>();
        }
        else
        {
            services.AddSingleton<ISubmissionQueue>(sp => sp.GetRequiredService<BrokerSubmissionQueue>());
        }
        return builder;
    }

    public static IEndpointRouteBuilder MapIngestion(this IEndpointRouteBuilder app) => app.MapCommentsApi().MapReportsApi();
}
