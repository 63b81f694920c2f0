using System.Net;
using System.Net.Mail;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.Auth;
using Moderation.ModerationApi.Reputation;
using Moderation.ModerationApi.Queues;

namespace Moderation.ModerationApi.Endpoints;

/// <summary>
/// <c>/bans</c>: authors (by email hash) and addresses whose comments the scorer files as spam, on one site or
/// (no site) on every site; the scorer reads them on every comment, so a ban applies to the next one.
/// </summary>
public static class BansApi
{
    public const int MaxDays = 3650;

    public sealed record BanView(Guid Id, string? SiteId,
        [property: System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<BanKind>))] BanKind Kind,
        string Value, string? Reason, DateTime CreatedAt, string? CreatedBy, DateTime? ExpiresAt)
    {
        public static BanView Of(Ban b) => new(b.Id, b.SiteId, b.Kind, b.Value, b.Reason, b.CreatedAt, b.CreatedBy, b.ExpiresAt);
    }

    public sealed record BanRequest(string? SiteId, string? Kind, string? Value, Guid? CommentId, string? Reason,
        DateTime? ExpiresAt, int? Days);

    public static RouteGroupBuilder MapBansApi(this RouteGroupBuilder moderation)
    {
        var bans = moderation.MapGroup("/bans");
        bans.MapGet("/", ListAsync).WithSummary("Bans on a site (and those on every site), newest first; expired ones included.")
            .Produces<List<BanView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        bans.MapPost("/", CreateAsync).WithSummary("Bans an email address or IP, given or taken from a comment, until expiresAt or for days.")
            .Produces<BanView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        bans.MapDelete("/{id:guid}", LiftAsync).WithSummary("Lifts a ban.")
            .Produces<BanView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        return moderation;
    }

    private static async Task<IResult> ListAsync(string? siteId, ModerationDb db, ISiteRegistry registry, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (sites, forbidden) = QueueScope.Sites(user, registry, siteId, errors);
        if (forbidden is not null) return forbidden;
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var query = db.Bans.AsNoTracking();
        if (sites is not null) query = query.Where(b => b.SiteId == null || sites.Contains(b.SiteId));
        var bans = await query.OrderByDescending(b => b.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(bans.Select(BanView.Of).ToList());
    }

    private static async Task<IResult> CreateAsync(BanRequest request, ModerationDb db, ISiteRegistry registry, AuditLog audit,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = Validate(request, now, out var kind);
        if (request.SiteId is { } siteId)
        {
            if (!user.CanActOn(siteId)) return Staff.ForbiddenSite(siteId);
            if (registry.Find(siteId) is null) errors["siteId"] = [$"Unknown site '{siteId}'."];
        }
        else if (user.Sites() is not null) return EverySiteForbidden();
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The ban has invalid fields.");

        string? value = request.Value is { } given ? Normalise(kind, given) : null;
        var votesSpam = false;
        if (request.CommentId is { } commentId)
        {
            var author = await db.Comments.AsNoTracking().Where(c => c.Id == commentId)
                .Select(c => new { c.SiteId, c.EmailHash, c.ClientIp, c.DomainVote }).FirstOrDefaultAsync(ct);
            if (author is null) return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No comment {commentId}.");
            if (!user.CanActOn(author.SiteId)) return Staff.ForbiddenSite(author.SiteId);
            value = kind == BanKind.Email ? author.EmailHash : author.ClientIp;
            if (value is null)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["commentId"] = ["No IP address was recorded with this comment."] });
            // Banning an author from a comment says the comment is spam for the domains it links, unless a person
            // already voted on it (approved it, or marked it spam: it counts once).
            votesSpam = author.DomainVote is null;
        }

        var ban = new Ban
        {
            Id = Guid.CreateVersion7(),
            SiteId = request.SiteId,
            Kind = kind,
            Value = value!,
            Reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(),
            CreatedAt = now,
            CreatedBy = user.Actor(),
            ExpiresAt = request.Days is { } days ? now.AddDays(days) : request.ExpiresAt?.ToUniversalTime(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (votesSpam && await db.Comments.Where(c => c.Id == request.CommentId && c.DomainVote == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.DomainVote, LabelKind.Spam), ct) == 1)
            await DomainVotes.MoveAsync(db, [(request.CommentId!.Value, null)], LabelKind.Spam, now, ct);
        db.Bans.Add(ban);
        audit.Record(db, user, "ban.create", "ban", ban.Id.ToString(), ban.SiteId, null, BanView.Of(ban));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/moderation/bans/{ban.Id}", BanView.Of(ban));
    }

    private static async Task<IResult> LiftAsync(Guid id, ModerationDb db, AuditLog audit, ClaimsPrincipal user, CancellationToken ct)
    {
        var ban = await db.Bans.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (ban is null) return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No ban {id}.");
        if (ban.SiteId is null ? user.Sites() is not null : !user.CanActOn(ban.SiteId))
            return ban.SiteId is null ? EverySiteForbidden() : Staff.ForbiddenSite(ban.SiteId);
        db.Bans.Remove(ban);
        audit.Record(db, user, "ban.delete", "ban", ban.Id.ToString(), ban.SiteId, BanView.Of(ban), null);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(BanView.Of(ban));
    }

    private static Dictionary<string, string[]> Validate(BanRequest r, DateTime now, out BanKind kind)
    {
        var errors = new Dictionary<string, string[]>();
        kind = r.Kind switch { "email" => BanKind.Email, "ip" => BanKind.Ip, _ => (BanKind)(-1) };
        if (!Enum.IsDefined(kind)) errors["kind"] = ["kind must be 'email' or 'ip'."];
        if ((r.Value is null) == (r.CommentId is null))
            errors["value"] = ["Give either value (an email address or IP) or commentId (ban that comment's author), not both."];
        else if (r.Value is { } value && Enum.IsDefined(kind) && Normalise(kind, value) is null)
            errors["value"] = [kind == BanKind.Email ? "value must be an email address." : "value must be an IP address."];
        if (r.ExpiresAt is not null && r.Days is not null) errors["expiresAt"] = ["Give expiresAt or days, not both."];
        else if (r.ExpiresAt is { } at && at.ToUniversalTime() <= now) errors["expiresAt"] = ["expiresAt must be in the future."];
        if (r.Days is < 1 or > MaxDays) errors["days"] = [$"days must be from 1 to {MaxDays}."];
        if (r.Reason?.Trim().Length > 500) errors["reason"] = ["reason must be at most 500 characters."];
        if (r.SiteId is { Length: 0 }) errors["siteId"] = ["siteId must not be empty; leave it out to ban on every site."];
        return errors;
    }

    /// <summary>What the scorer compares: an email's hash (as stored with comments), an IP in its canonical form.</summary>
    private static string? Normalise(BanKind kind, string value) => kind switch
    {
        BanKind.Email => MailAddress.TryCreate(value.Trim(), out var mail) && mail.Address == value.Trim() ? CommentMapping.HashEmail(mail.Address) : null,
        _ => IPAddress.TryParse(value.Trim(), out var ip) ? ip.ToString() : null,
    };

    private static IResult EverySiteForbidden() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
        detail: "A ban on every site needs a credential for every site; name a site.");
}
