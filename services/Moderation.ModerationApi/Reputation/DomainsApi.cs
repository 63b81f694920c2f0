using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Reputation;
using Moderation.Data.Sites;
using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.Auth;
using Moderation.ModerationApi.Queues;
using Moderation.Spam.Text;

namespace Moderation.ModerationApi.Reputation;

/// <summary>
/// <c>/api/v1/admin/domains</c>: the domains moderators' decisions taught about (most spam first), an admin's override
/// (blocked, trusted) on one site or every site, and clearing what was learnt. Every change is audited. The scorer reads
/// the rows for every batch it scores, so a change applies to the next comment without an event.
/// </summary>
public static class DomainsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public sealed record DomainView(string Domain, string? SiteId, int SpamCount, int HamCount, DateTime? LastSeenAt,
        [property: JsonConverter(typeof(CamelCaseEnumConverter<DomainOverride>))] DomainOverride Override, string? OverrideBy, DateTime? OverrideAt)
    {
        public static DomainView Of(DomainReputation d) =>
            new(d.Domain, d.SiteId, d.SpamCount, d.HamCount, d.LastSeenAt, d.Override, d.OverrideBy, d.OverrideAt);
    }

    public sealed record DomainPage(IReadOnlyList<DomainView> Items, string? NextCursor);

    public sealed record OverrideRequest(string? Override, string? SiteId);

    public static RouteGroupBuilder MapDomainsApi(this RouteGroupBuilder admin)
    {
        var domains = admin.MapGroup("/domains");
        domains.MapGet("/", ListAsync)
            .WithSummary("Domains with what moderators' decisions taught and admins' overrides, most marked spam first; a site's rows and the every-site rows.")
            .Produces<DomainPage>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        domains.MapPut("/{domain}", SetOverrideAsync)
            .WithSummary("Blocks or trusts a domain on one site or (no siteId) every site, or takes the override away (none).")
            .Produces<DomainView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        domains.MapDelete("/{domain}", ClearAsync)
            .WithSummary("Forgets a domain's spam and approval counts on one site or (no siteId) every site; an override stays.")
            .Produces<DomainView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return admin;
    }

    private static async Task<IResult> ListAsync(string? siteId, string? search, string? cursor, string? limit, ModerationDb db,
        ISiteRegistry registry, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (sites, forbidden) = QueueScope.Sites(user, registry, siteId, errors);
        if (forbidden is not null) return forbidden;
        var take = QueueScope.Parse<int>(limit, "limit", errors, $"a number from 1 to {MaxLimit}") ?? DefaultLimit;
        if (take is < 1 or > MaxLimit) errors["limit"] = [$"limit must be a number from 1 to {MaxLimit}."];
        var after = default(Cursor);
        if (cursor is not null && !Cursor.TryDecode(cursor, out after)) errors["cursor"] = ["cursor must be the nextCursor of an earlier page."];
        var text = search?.Trim().ToLowerInvariant();
        if (text?.Length > FieldLimits.Domain) errors["search"] = [$"search must be at most {FieldLimits.Domain} characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The listing has invalid parameters.");

        var query = db.DomainReputation.AsNoTracking();
        if (sites is not null)
        {
            string[] scopes = [.. sites, DomainReputation.EverySite];
            query = query.Where(d => scopes.Contains(d.Scope));
        }
        if (!string.IsNullOrEmpty(text)) query = query.Where(d => d.Domain.Contains(text));
        if (cursor is not null)
            query = query.Where(d => d.SpamCount < after.Spam
                || (d.SpamCount == after.Spam && (string.Compare(d.Domain, after.Domain) > 0
                    || (d.Domain == after.Domain && string.Compare(d.Scope, after.Scope) > 0))));
        var page = await query.OrderByDescending(d => d.SpamCount).ThenBy(d => d.Domain).ThenBy(d => d.Scope).Take(take + 1).ToListAsync(ct);
        var next = page.Count > take ? new Cursor(page[take - 1].SpamCount, page[take - 1].Domain, page[take - 1].Scope).Encode() : null;
        return TypedResults.Ok(new DomainPage([.. page.Take(take).Select(DomainView.Of)], next));
    }

    private static async Task<IResult> SetOverrideAsync(string domain, OverrideRequest request, ModerationDb db, ISiteRegistry registry,
        AuditLog audit, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = ParseDomain(domain, errors);
        DomainOverride? value = request.Override switch
        {
            "blocked" => DomainOverride.Blocked,
            "trusted" => DomainOverride.Trusted,
            "none" => DomainOverride.None,
            _ => null,
        };
        if (value is null) errors["override"] = ["override must be 'blocked', 'trusted' or 'none'."];
        if (CheckSite(request.SiteId, user, registry, errors) is { } forbidden) return forbidden;
        if (errors.Count > 0) return Invalid(errors);

        var scope = DomainReputation.ScopeOf(request.SiteId);
        var row = await db.DomainReputation.FirstOrDefaultAsync(d => d.Domain == name && d.Scope == scope, ct);
        var before = row is null ? null : DomainView.Of(row);
        if (row is null) db.DomainReputation.Add(row = new DomainReputation { Domain = name!, Scope = scope });
        row.Override = value!.Value;
        row.OverrideBy = value == DomainOverride.None ? null : user.Actor();
        row.OverrideAt = value == DomainOverride.None ? null : clock.GetUtcNow().UtcDateTime;
        ForgetIfEmpty(db, row);
        audit.Record(db, user, "domain.override", "domain", row.Domain, row.SiteId, before, DomainView.Of(row));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(DomainView.Of(row));
    }

    private static async Task<IResult> ClearAsync(string domain, string? siteId, ModerationDb db, ISiteRegistry registry, AuditLog audit,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = ParseDomain(domain, errors);
        if (CheckSite(siteId, user, registry, errors) is { } forbidden) return forbidden;
        if (errors.Count > 0) return Invalid(errors);

        var scope = DomainReputation.ScopeOf(siteId);
        var row = await db.DomainReputation.FirstOrDefaultAsync(d => d.Domain == name && d.Scope == scope, ct);
        if (row is null)
            return AdminScope.NotFound($"Nothing is known of {name} on {(siteId is null ? "every site" : $"site '{siteId}'")}.");
        var before = DomainView.Of(row);
        (row.SpamCount, row.HamCount) = (0, 0);
        ForgetIfEmpty(db, row);
        audit.Record(db, user, "domain.clear", "domain", row.Domain, row.SiteId, before, DomainView.Of(row));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(DomainView.Of(row));
    }

    /// <summary>A row with no counts and no override says nothing: it leaves the table (and the listing).</summary>
    private static void ForgetIfEmpty(ModerationDb db, DomainReputation row)
    {
        if (row.SpamCount != 0 || row.HamCount != 0 || row.Override != DomainOverride.None) return;
        if (db.Entry(row).State == EntityState.Added) db.Entry(row).State = EntityState.Detached;
        else db.DomainReputation.Remove(row);
    }

    /// <summary>A site this credential may act on and that exists, or (null) every site, which needs a key for every site.</summary>
    private static IResult? CheckSite(string? siteId, ClaimsPrincipal user, ISiteRegistry registry, Dictionary<string, string[]> errors)
    {
        if (siteId is null)
            return user.ActsOnEverySite() ? null : AdminScope.ForbiddenAcrossSites("a domain without siteId");
        if (siteId.Length == 0) errors["siteId"] = ["siteId must not be empty; leave it out for every site."];
        else if (!user.CanActOn(siteId)) return Staff.ForbiddenSite(siteId);
        else if (registry.Find(siteId) is null) errors["siteId"] = [$"Unknown site '{siteId}'."];
        return null;
    }

    /// <summary>
    /// The domain as the scorer looks it up (lower case, ASCII), or an error: a name that is not a domain, or one whose
    /// reputation is not kept (<see cref="Domains.ForReputation"/>), or a host below its registrable domain.
    /// </summary>
    private static string? ParseDomain(string raw, Dictionary<string, string[]> errors)
    {
        var text = raw.Trim().TrimEnd('.').ToLowerInvariant();
        string ascii;
        try { ascii = text.All(char.IsAscii) ? text : new IdnMapping().GetAscii(text); }
        catch (ArgumentException) { ascii = ""; }
        string[] labels = ascii.Split('.');
        if (ascii.Length is 0 or > FieldLimits.Domain || labels.Length < 2 || !labels.All(IsLabel))
        {
            errors["domain"] = ["domain must be a domain name such as example.com."];
            return null;
        }
        var registrable = Domains.ForReputation(ascii);
        if (registrable is null)
            errors["domain"] = [$"{ascii} is shared by many registrants (an IP address, a public suffix, a link shortener, webmail, a messenger or a free host's own domain); its reputation is not kept."];
        else if (registrable != ascii)
            errors["domain"] = [$"domain must be a registrable domain: {ascii} is part of {registrable}."];
        return registrable == ascii ? ascii : null;
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static IResult Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The domain request has invalid fields.");

    /// <summary>Where a page ends: the last row's spam count, domain and scope, base64url of "count\ndomain\nscope".</summary>
    private readonly record struct Cursor(int Spam, string Domain, string Scope)
    {
        public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Spam}\n{Domain}\n{Scope}"));

        public static bool TryDecode(string text, out Cursor cursor)
        {
            cursor = default;
            if (text.Length > 600 || !Base64Url.IsValid(text.AsSpan())) return false;
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('\n');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var spam)) return false;
            cursor = new Cursor(spam, parts[1], parts[2]);
            return true;
        }
    }
}
