using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.AuditQueries;
using Moderation.ModerationApi.Auth;
using Moderation.ModerationApi.Decisions;
using Moderation.ModerationApi.Endpoints;
using Moderation.ModerationApi.Models;
using Moderation.ModerationApi.Privacy;
using Moderation.ModerationApi.Reputation;
using Moderation.ModerationApi.Sites;
using Moderation.ModerationApi.StaffConsole;
using Moderation.Spam.Training;
using Moderation.Spam;
using Moderation.ServiceDefaults;
using Moderation.ServiceDefaults.Outbox;

namespace Moderation.ModerationApi;

public static class ModerationApiExtensions
{
    public static IHostApplicationBuilder AddModerationApi(this IHostApplicationBuilder builder)
    {
        builder.AddStaffAuthentication();
        builder.Services.AddStaffOpenApi();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton(sp => ConsoleConfig.Of(sp.GetRequiredService<IOptions<AuthOptions>>().Value.Oidc));
        builder.Services.AddScoped<CommentDecider>();
        builder.Services.AddOutboxDispatcher();
        builder.AddModelAdministration();
        return builder;
    }

    /// <summary>
    /// Evaluation, upload, promotion. Retraining is only requested here: the scoring workers run the jobs
    /// (<c>RetrainSpamModel</c>) and write their progress to the table this API reads.
    /// </summary>
    private static void AddModelAdministration(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // The standalone host's scoring module registers these too (the options with the same validation).
        if (!services.Any(s => s.ServiceType == typeof(IValidateOptions<ModelTrainingOptions>)))
            services.AddValidatedOptions<ModelTrainingOptions>(ModelTrainingOptions.SectionName);
        services.AddValidatedOptions<ModelUploadOptions>(ModelUploadOptions.SectionName);
        services.TryAddScoped<ModelRegistry>();
        services.AddScoped<ModelEvaluator>();
    }

    public static IEndpointRouteBuilder MapModerationApi(this IEndpointRouteBuilder app)
    {
        var moderation = app.MapGroup(ApiPaths.Moderation).RequireAuthorization(Staff.ModeratorPolicy).WithTags("Moderation");
        moderation.MapStaffEndpoints();
        moderation.MapQueuesApi();
        moderation.MapDecisionsApi();
        moderation.MapBansApi();

        var admin = app.MapGroup(ApiPaths.Admin).RequireAuthorization(Staff.AdminPolicy).WithTags("Admin");
        admin.MapKeysApi();
        admin.MapSitesApi();
        admin.MapModelsApi();
        admin.MapAuditApi();
        admin.MapPrivacyApi();
        admin.MapDomainsApi();

        app.MapConsole();
        return app;
    }
}
