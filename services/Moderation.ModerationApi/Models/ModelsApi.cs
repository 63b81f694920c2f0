using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Models;
using Moderation.Data.Outbox;
using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.Auth;
using Moderation.ServiceDefaults.Outbox;
using Moderation.Spam;
using Moderation.Spam.Training;

namespace Moderation.ModerationApi.Models;

/// <summary>
/// <c>/api/v1/admin/models</c>: versions and their metrics, upload, retraining (a job the scoring workers run), evaluation on
/// held-out labels, promote (refused for a version that scores worse than the active one, unless forced) and roll back.
/// A model serves every site, so changing or evaluating one needs a credential for every site.
/// </summary>
public static class ModelsApi
{
    public sealed record RetrainAccepted(Guid JobId);

    public sealed record ActiveModel(string Version);

    /// <summary>Both versions' F1 (at 0.5) on the same held-out labels, as a promotion compared them.</summary>
    public sealed record HeldOutCheck(int HeldOutLabels, double F1, string ActiveVersion, double ActiveF1)
    {
        public bool IsWorse => F1 < ActiveF1;
    }

    /// <summary>What a promotion's audit entry keeps: the version, whether the admin overrode the check, and the check.</summary>
    public sealed record PromotedModel(string Version, bool Forced, HeldOutCheck? HeldOutCheck);

    private const int RecentJobs = 20;

    public static RouteGroupBuilder MapModelsApi(this RouteGroupBuilder admin)
    {
        var models = admin.MapGroup("/models");
        models.MapGet("/", ListAsync).WithSummary("Every model version, newest first, with its metrics; the active one says so.");
        // No Accepts metadata: routing would answer 415 before authorization; the body is read as bytes whatever its type.
        models.MapPost("/", UploadAsync)
            .WithSummary("Registers a model zip sent as the request body (application/zip; not promoted). A file that cannot be served here is refused (400) and nothing is stored.");
        models.MapGet("/{version}", VersionAsync).WithSummary("One model version and its metrics.");
        models.MapPost("/retrain", RetrainAsync)
            .WithSummary("Asks the scoring workers to retrain from moderators' labels (202 with the job id). The new version is registered, not promoted.");
        models.MapGet("/jobs", JobsAsync).WithSummary("The most recent training jobs.");
        models.MapGet("/jobs/{jobId:guid}", JobAsync).WithSummary("One training job: state, progress, message, the version it made.");
        models.MapPost("/{version}/evaluate", EvaluateAsync).WithSummary("Scores the held-out labels (the newest share) with a version: metrics and operating points.");
        models.MapPost("/{version}/promote", PromoteAsync)
            .WithSummary("Makes a version the one every worker serves, within seconds; refused (409) when it scores worse than the active one on the held-out labels, unless force=true.");
        models.MapPost("/rollback", RollBackAsync).WithSummary("Serves the previously promoted version again (or the built-in default).");
        return admin;
    }

    private static async Task<Ok<List<ModelView>>> ListAsync(ModerationDb db, CancellationToken ct) =>
        TypedResults.Ok(await ViewsAsync(db.SpamModels.OrderByDescending(m => m.CreatedAt), ct));

    private static async Task<IResult> VersionAsync(string version, ModerationDb db, CancellationToken ct) =>
        await db.SpamModels.AnyAsync(m => m.Version == version, ct) ? TypedResults.Ok(await ViewAsync(db, version, ct)) : NoSuchVersion(version);

    /// <summary>
    /// A model zip made elsewhere (<c>moderation train</c>), as the request body: loaded as a worker would load it before
    /// anything is stored, so a damaged file or one of another feature schema is a 400 that says which.
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpRequest request, ModerationDb db, ModelRegistry registry, AuditLog audit,
        IOptions<ModelUploadOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!user.ActsOnEverySite()) return AdminScope.ForbiddenAcrossSites("the spam model");
        var max = options.Value.MaxBytes;
        if (request.ContentLength > max) return TooLarge(max);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = max + 1;
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + read > max) return TooLarge(max);
            body.Write(buffer, 0, read);
        }
        if (body.Length == 0) return BadModel("Send the model zip as the request body (Content-Type: application/zip).");

        SpamModel model;
        try
        {
            model = SpamModel.Load(new MemoryStream(body.GetBuffer(), 0, (int)body.Length, writable: false));
        }
        catch (SpamModelLoadException ex)
        {
            return BadModel(ex.Message);
        }
        var metadata = model.Metadata;
        if (await db.SpamModels.AnyAsync(m => m.Version == metadata.Version, ct))
            return Conflict($"Version '{metadata.Version}' is already stored.");
        var metrics = JsonSerializer.Serialize(new { source = "upload", metadata.TrainingRows, metadata.TrainersCompared }, SpamModelMetadata.Json);
        audit.Record(db, user, "model.register", "model", metadata.Version, null, null,
            new { version = metadata.Version, trainer = metadata.Trainer, source = "upload", bytes = body.Length, metadata.FeatureSchema, metadata.TrainedAtUtc });
        await registry.RegisterAsync(metadata.Version, body.ToArray(), metadata.Trainer, metrics, ct); // saves the audit entry with it
        return TypedResults.Created($"/api/v1/admin/models/{Uri.EscapeDataString(metadata.Version)}", await ViewAsync(db, metadata.Version, ct));
    }

    private static async Task<IResult> RetrainAsync(ModerationDb db, AuditLog audit, OutboxDispatcher outbox, ClaimsPrincipal user,
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
        // The job, its audit entry and the command to the workers in one save; the outbox sends the command to the
        // retrain-spam-model queue, where it waits for a worker even if none is running.
        db.AddEvents([new RetrainSpamModel(job.Id, job.RequestedBy, job.RequestedAt)], job.RequestedAt);
        await db.SaveChangesAsync(ct);
        outbox.Wake();
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

    private static async Task<IResult> PromoteAsync(string version, bool? force, ModerationDb db, ModelRegistry registry,
        ModelEvaluator evaluator, AuditLog audit, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!user.ActsOnEverySite()) return AdminScope.ForbiddenAcrossSites("the spam model");
        if (!await db.SpamModels.AnyAsync(m => m.Version == version, ct)) return NoSuchVersion(version);
        SpamModel candidate;
        try
        {
            // Workers keep their model when a new one fails to load; better to refuse it here, where the admin sees why.
            candidate = (await evaluator.LoadAsync(version, ct))!;
        }
        catch (SpamModelLoadException ex)
        {
            return Conflict($"Version '{version}' cannot be served: {ex.Message}");
        }
        var before = await ActiveVersionAsync(db, ct);
        var check = before == version ? null : await CompareAsync(evaluator, candidate, version, before, ct);
        var forced = force == true && check is { IsWorse: true };
        if (check is { IsWorse: true } && !forced)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Scores worse than the active model",
                detail: $"Version '{version}' scores F1 {check.F1:0.000} on the {check.HeldOutLabels} held-out labels; the active version " +
                        $"'{check.ActiveVersion}' scores {check.ActiveF1:0.000}. Nothing was changed; promote with force=true to serve it anyway (audited).",
                extensions: new Dictionary<string, object?>
                {
                    ["heldOutLabels"] = check.HeldOutLabels, ["f1"] = check.F1, ["activeVersion"] = check.ActiveVersion, ["activeF1"] = check.ActiveF1,
                });
        audit.Record(db, user, "model.promote", "model", version, null, new ActiveModel(before), new PromotedModel(version, forced, check));
        await registry.PromoteAsync(version, ct); // saves the audit entry with the switch
        return TypedResults.Ok(await ViewAsync(db, version, ct));
    }

    /// <summary>
    /// Both versions on today's held-out labels; null when there is nothing to compare on (the labels are not both spam
    /// and ham) or the active version cannot be loaded (the workers are not serving it either).
    /// </summary>
    private static async Task<HeldOutCheck?> CompareAsync(ModelEvaluator evaluator, SpamModel candidate, string version, string activeVersion,
        CancellationToken ct)
    {
        try
        {
            var heldOut = await evaluator.HeldOutAsync(ct);
            if (await evaluator.LoadAsync(activeVersion, ct) is not { } active) return null;
            var mine = await ModelEvaluator.EvaluateAsync(version, candidate, heldOut, ct);
            var theirs = await ModelEvaluator.EvaluateAsync(activeVersion, active, heldOut, ct);
            return new HeldOutCheck(heldOut.Count, Math.Round(mine.Metrics.F1, 4), activeVersion, Math.Round(theirs.Metrics.F1, 4));
        }
        catch (Exception ex) when (ex is NotEnoughLabelsException or SpamModelLoadException)
        {
            return null;
        }
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

    private static async Task<ModelView> ViewAsync(ModerationDb db, string version, CancellationToken ct) =>
        (await ViewsAsync(db.SpamModels.Where(m => m.Version == version), ct)).Single();

    /// <summary>The versions as listed, read without their artifacts (megabytes each).</summary>
    private static async Task<List<ModelView>> ViewsAsync(IQueryable<SpamModelVersion> versions, CancellationToken ct)
    {
        var rows = await versions.AsNoTracking()
            .Select(m => new { m.Version, m.Trainer, m.CreatedAt, m.IsActive, m.PromotedAt, m.MetricsJson }).ToListAsync(ct);
        return [.. rows.Select(m => ModelView.Of(m.Version, m.Trainer, m.CreatedAt, m.IsActive, m.PromotedAt, m.MetricsJson))];
    }

    private static IResult NoSuchVersion(string version) => AdminScope.NotFound($"No model version '{version}'.");

    private static IResult BadModel(string problem) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["body"] = [problem] }, title: "The model file was refused; nothing was stored.");

    private static IResult TooLarge(long max) => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Model file too large",
        detail: $"A model file may be at most {max} bytes (Models:Upload:MaxBytes).");

    private static IResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot do that now", detail: detail);
}
