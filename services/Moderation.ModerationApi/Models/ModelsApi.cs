using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Models;
using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.Auth;
using Moderation.Spam;

namespace Moderation.ModerationApi.Models;

/// <summary>
/// <c>/api/v1/admin/models</c>: versions and their metrics, retraining as a background job, evaluation on held-out labels,
/// promote and roll back. A model serves every site, so changing or evaluating one needs a credential for every site.
/// </summary>
public static class ModelsApi
{
    public sealed record RetrainAccepted(Guid JobId);

    public sealed record ActiveModel(string Version);

    private const int RecentJobs = 20;

    public static RouteGroupBuilder MapModelsApi(this RouteGroupBuilder admin)
    {
        var models = admin.MapGroup("/models");
        models.MapGet("/", ListAsync).WithSummary("Every model version, newest first, with its metrics; the active one says so.");
        models.MapPost("/retrain", RetrainAsync)
            .WithSummary("Starts retraining from moderators' labels in the background (202 with the job id). The new version is registered, not promoted.");
        models.MapGet("/jobs", JobsAsync).WithSummary("The most recent training jobs.");
        models.MapGet("/jobs/{jobId:guid}", JobAsync).WithSummary("One training job: state, progress, message, the version it made.");
        models.MapPost("/{version}/evaluate", EvaluateAsync).WithSummary("Scores the held-out labels (the newest share) with a version: metrics and operating points.");
        models.MapPost("/{version}/promote", PromoteAsync).WithSummary("Makes a version the one every worker serves, within seconds.");
        models.MapPost("/rollback", RollBackAsync).WithSummary("Serves the previously promoted version again (or the built-in default).");
        return admin;
    }

    private static async Task<Ok<List<ModelView>>> ListAsync(ModerationDb db, CancellationToken ct)
    {
        var rows = await db.SpamModels.AsNoTracking().OrderByDescending(m => m.CreatedAt)
            .Select(m => new { m.Version, m.Trainer, m.CreatedAt, m.IsActive, m.PromotedAt, m.MetricsJson }).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(m => new ModelView(m.Version, m.Trainer, m.CreatedAt, m.IsActive, m.PromotedAt, StoredJson.Parse(m.MetricsJson))).ToList());
    }

    private static async Task<IResult> RetrainAsync(ModerationDb db, AuditLog audit, TrainingJobQueue queue, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        if (!user.ActsOnEverySite()) return AdminScope.ForbiddenAcrossSites("the spam model");
        var job = new TrainingJob
        {
            Id = Guid.CreateVersion7(),
            RequestedBy = user.Actor(),
            RequestedAt = clock.GetUtcNow().UtcDateTime,
            State = TrainingJobState.Queued,
            Message = "queued",
        };
        db.TrainingJobs.Add(job);
        audit.Record(db, user, "model.retrain", "trainingJob", job.Id.ToString(), null, null, TrainingJobView.Of(job));
        await db.SaveChangesAsync(ct);
        await queue.EnqueueAsync(job.Id, ct);
        return TypedResults.Accepted($"/api/v1/admin/models/jobs/{job.Id}", new RetrainAccepted(job.Id));
    }

    private static async Task<Ok<List<TrainingJobView>>> JobsAsync(ModerationDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.TrainingJobs.AsNoTracking().OrderByDescending(j => j.RequestedAt).Take(RecentJobs).ToListAsync(ct))
            .Select(TrainingJobView.Of).ToList());

    private static async Task<IResult> JobAsync(Guid jobId, ModerationDb db, CancellationToken ct) =>
        await db.TrainingJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct) is { } job
            ? TypedResults.Ok(TrainingJobView.Of(job))
            : AdminScope.NotFound($"No training job {jobId}.");

    private static async Task<IResult> EvaluateAsync(string version, ModelEvaluator evaluator, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!user.ActsOnEverySite()) return AdminScope.ForbiddenAcrossSites("evaluating on every site's labels");
        try
        {
            return await evaluator.EvaluateAsync(version, ct) is { } evaluation
                ? TypedResults.Json(evaluation, SpamModelMetadata.Json)
                : NoSuchVersion(version);
        }
        catch (NotEnoughLabelsException ex)
        {
            return Conflict(ex.Message);
        }
        catch (SpamModelLoadException ex)
        {
            return Conflict($"Version '{version}' cannot be loaded: {ex.Message}");
        }
    }

    private static async Task<IResult> PromoteAsync(string version, ModerationDb db, ModelRegistry registry, AuditLog audit,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (!user.ActsOnEverySite()) return AdminScope.ForbiddenAcrossSites("the spam model");
        var artifact = await db.SpamModels.AsNoTracking().Where(m => m.Version == version).Select(m => m.Artifact).FirstOrDefaultAsync(ct);
        if (artifact is null) return NoSuchVersion(version);
        try
        {
            // Workers keep their model when a new one fails to load; better to refuse it here, where the admin sees why.
            SpamModel.Load(new MemoryStream(artifact, writable: false));
        }
        catch (SpamModelLoadException ex)
        {
            return Conflict($"Version '{version}' cannot be served: {ex.Message}");
        }
        var before = await ActiveVersionAsync(db, ct);
        audit.Record(db, user, "model.promote", "model", version, null, new ActiveModel(before), new ActiveModel(version));
        await registry.PromoteAsync(version, ct); // saves the audit entry with the switch
        return TypedResults.Ok(await ViewAsync(db, version, ct));
    }

    private static async Task<IResult> RollBackAsync(ModerationDb db, ModelRegistry registry, AuditLog audit, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!user.ActsOnEverySite()) return AdminScope.ForbiddenAcrossSites("the spam model");
        var before = await ActiveVersionAsync(db, ct);
        var promoted = await db.SpamModels.AsNoTracking().Where(m => m.PromotedAt != null)
            .OrderByDescending(m => m.PromotedAt).Select(m => m.Version).Take(2).ToListAsync(ct);
        var expected = promoted.Count == 2 ? promoted[1] : ModelRegistry.DefaultVersion;
        var entry = audit.Record(db, user, "model.rollback", "model", expected, null, new ActiveModel(before), new ActiveModel(expected));
        var now = await registry.RollBackAsync(ct); // saves the audit entry with the switch
        if (now != expected)
        {
            // Someone promoted in between: the entry says what really happened.
            entry.TargetId = now;
            entry.After = System.Text.Json.JsonSerializer.Serialize(new ActiveModel(now), System.Text.Json.JsonSerializerOptions.Web);
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(new ActiveModel(now));
    }

    private static async Task<string> ActiveVersionAsync(ModerationDb db, CancellationToken ct) =>
        await db.SpamModels.AsNoTracking().Where(m => m.IsActive).Select(m => m.Version).FirstOrDefaultAsync(ct) ?? ModelRegistry.DefaultVersion;

    private static async Task<ModelView> ViewAsync(ModerationDb db, string version, CancellationToken ct)
    {
        var m = await db.SpamModels.AsNoTracking().Where(m => m.Version == version)
            .Select(m => new { m.Version, m.Trainer, m.CreatedAt, m.IsActive, m.PromotedAt, m.MetricsJson }).SingleAsync(ct);
        return new ModelView(m.Version, m.Trainer, m.CreatedAt, m.IsActive, m.PromotedAt, StoredJson.Parse(m.MetricsJson));
    }

    private static IResult NoSuchVersion(string version) => AdminScope.NotFound($"No model version '{version}'.");

    private static IResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot do that now", detail: detail);
}
