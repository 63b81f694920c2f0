using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.Auth;
using Moderation.ModerationApi.Decisions;
using Moderation.ModerationApi.Endpoints;
using Moderation.ModerationApi.StaffConsole;

namespace Moderation.ModerationApi;

public static class ModerationApiExtensions
{
    public static IHostApplicationBuilder AddModerationApi(this IHostApplicationBuilder builder)
    {
        builder.AddStaffAuthentication();
        builder.Services.AddStaffOpenApi();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddScoped<CommentDecider>();
        return builder;
    }

    public static IEndpointRouteBuilder MapModerationApi(this IEndpointRouteBuilder app)
    {
        var moderation = app.MapGroup("/api/v1/moderation").RequireAuthorization(Staff.ModeratorPolicy).WithTags("Moderation");
        moderation.MapStaffEndpoints();
        moderation.MapQueuesApi();
        moderation.MapDecisionsApi();
        moderation.MapBansApi();

        var admin = app.MapGroup("/api/v1/admin").RequireAuthorization(Staff.AdminPolicy).WithTags("Admin");
        admin.MapKeysApi();

        app.MapConsole();
        return app;
    }
}
