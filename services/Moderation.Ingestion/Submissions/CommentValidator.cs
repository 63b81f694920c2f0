using System.Globalization;
using System.Net.Mail;
using System.Text;
using Moderation.Data;
using Moderation.Data.Sites;

namespace Moderation.Ingestion.Submissions;

/// <summary>A submission with every field trimmed and checked: what is published to the scorer.</summary>
public sealed record ValidComment(
    string SiteId,
    string ThreadId,
    string? ThreadUrl,
    string? ThreadTitle,
    Guid? ParentId,
    string AuthorName,
    string AuthorEmail,
    string? AuthorUrl,
    string Body,
    bool HoneypotFilled,
    int? ElapsedMs);

/// <summary>The rules under "Bad input" that need nothing but the request itself.</summary>
public static class CommentValidator
{
    public static (ValidComment? Comment, Dictionary<string, string[]> Errors) Validate(SubmitCommentRequest request)
    {
        var errors = new Dictionary<string, string[]>();

        var siteId = Required(request.SiteId, "siteId", "Site", FieldLimits.SiteId, errors);
        var threadId = Required(request.ThreadId, "threadId", "Thread", FieldLimits.ThreadId, errors);
        var authorName = Required(request.AuthorName, "authorName", "Name", FieldLimits.AuthorName, errors);
        var authorEmail = Required(request.AuthorEmail, "authorEmail", "Email", FieldLimits.AuthorEmail, errors);
        var body = Required(request.Body, "body", "Comment", FieldLimits.Body, errors, multiline: true);
        var threadTitle = Optional(request.ThreadTitle, "threadTitle", "Thread title", FieldLimits.ThreadTitle, errors);
        var threadUrl = OptionalUrl(request.ThreadUrl, "threadUrl", "Thread URL", errors);
        var authorUrl = OptionalUrl(request.AuthorUrl, "authorUrl", "Website", errors);

        if (authorName is not null && authorName.Any(IsDirectionControl))
            errors["authorName"] = ["Name may not contain characters that change the direction of text (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)."];
        if (authorEmail is not null && !IsEmail(authorEmail))
            errors["authorEmail"] = ["Email is not a valid email address."];
        if (request.ElapsedMs is < 0)
            errors["elapsedMs"] = ["elapsedMs cannot be negative."];
        if (request.ParentId == Guid.Empty)
            errors["parentId"] = ["parentId is not a comment id."];

        if (errors.Count > 0) return (null, errors);
        return (new ValidComment(siteId!, threadId!, threadUrl, threadTitle, request.ParentId, authorName!,
            authorEmail!, authorUrl, body!, !string.IsNullOrEmpty(request.Honeypot), request.ElapsedMs), errors);
    }

    /// <summary>
    /// The article must be on one of the site's own origins: anyone may post, so otherwise anyone could point the
    /// moderators' links (and the title beside them) at a page of their choosing.
    /// </summary>
    public static string? ThreadUrlError(ValidComment comment, Site site)
    {
        if (comment.ThreadUrl is null) return null;
        var origin = Site.OriginOf(new Uri(comment.ThreadUrl));
        return site.AllowsOrigin(origin) ? null : $"Thread URL must be on one of the site's origins; {origin} is not one of them.";
    }

    /// <summary>
    /// Characters that reorder the text after them (embeddings, overrides, isolates, marks). In a name they can make
    /// "Ada" followed by a reversed address read as someone else; a comment's body may keep them (the widget isolates it).
    /// </summary>
    public static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
        or '\u200E' or '\u200F' or '\u061C';

    /// <summary>
    /// Whitespace and what Unicode calls default-ignorable: format characters (zero-width space and joiners, word
    /// joiner, byte-order mark, soft hyphen, …), variation selectors and the Hangul fillers. A field of nothing else is
    /// empty to whoever reads it.
    /// </summary>
    public static bool IsInvisible(Rune r) => Rune.IsWhiteSpace(r) || Rune.GetUnicodeCategory(r) == UnicodeCategory.Format
        || r.Value is 0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F) or 0x3164
            or (>= 0xFE00 and <= 0xFE0F) or 0xFFA0 or (>= 0xE0100 and <= 0xE01EF);

    /// <summary>One address, nothing around it, with a dotted domain: what a reader can be written to.</summary>
    public static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.DisplayName.Length == 0
        && address.Host.Contains('.')
        && !address.Host.StartsWith('.') && !address.Host.EndsWith('.')
        && !value.Any(char.IsWhiteSpace);

    private static string? Required(string? value, string field, string label, int max,
        Dictionary<string, string[]> errors, bool multiline = false)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.EnumerateRunes().All(IsInvisible))
        {
            errors[field] = [$"{label} is required."];
            return null;
        }
        return Checked(trimmed, field, label, max, errors, multiline);
    }

    private static string? Optional(string? value, string field, string label, int max, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : Checked(trimmed, field, label, max, errors, multiline: false);
    }

    private static string? Checked(string value, string field, string label, int max,
        Dictionary<string, string[]> errors, bool multiline)
    {
        if (value.Length > max)
        {
            errors[field] = [$"{label} must be at most {max} characters (it has {value.Length})."];
            return null;
        }
        if (value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            errors[field] = [$"{label} contains control characters."];
            return null;
        }
        return value;
    }

    private static string? OptionalUrl(string? value, string field, string label, Dictionary<string, string[]> errors)
    {
        var url = Optional(value, field, label, FieldLimits.Url, errors);
        if (url is null) return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            errors[field] = [$"{label} must be an http:// or https:// address."];
            return null;
        }
        // "https://paypal.com@evil.example/" leads to evil.example.
        if (uri.UserInfo.Length > 0)
        {
            errors[field] = [$"{label} may not contain a user name or password (the part before @)."];
            return null;
        }
        return url;
    }
}
