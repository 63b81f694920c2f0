using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Audit;
using Moderation.ModerationApi.Auth;

namespace Moderation.ModerationApi.AuditQueries;

/// <summary><c>/api/v1/admin/audit</c>: the audit log, newest first, keyset-paged; and the same filters exported as CSV or NDJSON.</summary>
public static class AuditApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public sealed record AuditPage(IReadOnlyList<AuditItem> Items, string? NextCursor);

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder admin)
    {
        var audit = admin.MapGroup("/audit");
        audit.MapGet("/", ListAsync).WithSummary("Audit entries, newest first: who did what, when, to what, before and after. Filters: actor, action (or its first part), siteId, targetId, from, to.");
        audit.MapGet("/export", Export).WithSummary("Every entry matching the filters, oldest first, streamed as CSV (format=csv) or NDJSON (format=ndjson).");
        return admin;
    }

    private static async Task<IResult> ListAsync([AsParameters] AuditFilter filter, string? cursor, int? limit, ModerationDb db,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = filter.Validate();
        long? after = null;
        if (cursor is not null)
        {
            if (AuditCursor.TryRead(cursor, out var id)) after = id;
            else errors["cursor"] = ["Not a cursor from this listing."];
        }
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The audit query is invalid.");
        if (filter.Apply(db.Audit.AsNoTracking(), user) is not { } entries) return Staff.ForbiddenSite(filter.SiteId!);

        var take = limit ?? DefaultLimit;
        if (after is { } before) entries = entries.Where(e => e.Id < before);
        var page = await entries.OrderByDescending(e => e.Id).Take(take + 1).ToListAsync(ct);
        var next = page.Count > take ? AuditCursor.Write(page[take - 1].Id) : null;
        return TypedResults.Ok(new AuditPage([.. page.Take(take).Select(AuditItem.Of)], next));
    }

    private static IResult Export([AsParameters] AuditFilter filter, string? format, ModerationDb db, ClaimsPrincipal user, TimeProvider clock)
    {
        var errors = filter.Validate();
        var kind = (format ?? "csv").ToLowerInvariant();
        if (kind is not ("csv" or "ndjson")) errors["format"] = ["format must be 'csv' or 'ndjson'."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The audit export is invalid.");
        if (filter.Apply(db.Audit.AsNoTracking(), user) is not { } entries) return Staff.ForbiddenSite(filter.SiteId!);

        var rows = entries.OrderBy(e => e.Id).AsAsyncEnumerable();
        var name = $"audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.{kind}";
        return kind == "csv"
            ? TypedResults.Stream(stream => AuditExport.WriteCsvAsync(rows, stream), "text/csv; charset=utf-8", name)
            : TypedResults.Stream(stream => AuditExport.WriteNdjsonAsync(rows, stream), "application/x-ndjson; charset=utf-8", name);
    }
}

/// <summary>The listing's cursor: the last id shown, so the next page starts below it whatever was added meanwhile.</summary>
internal static class AuditCursor
{
    public static string Write(long id) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"a:{id.ToString(CultureInfo.InvariantCulture)}"));

    public static bool TryRead(string cursor, out long id)
    {
        id = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("a:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out id);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>Writes entries as they are read, flushing every so often, so an export of any size streams in constant memory.</summary>
internal static class AuditExport
{
    private const int FlushEvery = 500;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] Columns = ["id", "at", "actor", "action", "targetType", "targetId", "siteId", "before", "after"];

    public static async Task WriteCsvAsync(IAsyncEnumerable<AuditEntry> entries, Stream stream)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        var count = 0;
        await foreach (var e in entries)
        {
            string[] cells = [e.Id.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), e.Actor, e.Action,
                e.TargetType, e.TargetId, e.SiteId ?? "", e.Before ?? "", e.After ?? ""];
            await writer.WriteAsync(string.Join(',', cells.Select(Cell)) + "\r\n");
            if (++count % FlushEvery == 0) await writer.FlushAsync();
        }
    }

    public static async Task WriteNdjsonAsync(IAsyncEnumerable<AuditEntry> entries, Stream stream)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        var count = 0;
        await foreach (var e in entries)
        {
            await writer.WriteAsync(JsonSerializer.Serialize(AuditItem.Of(e), Json) + "\n");
            if (++count % FlushEvery == 0) await writer.FlushAsync();
        }
    }

    /// <summary>RFC 4180 quoting; a cell a spreadsheet would run as a formula gets a leading apostrophe.</summary>
    internal static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
