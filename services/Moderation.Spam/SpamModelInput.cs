namespace Moderation.Spam;

/// <summary>What the model reads of a comment. Everything but the body may be missing.</summary>
public sealed record SpamModelInput(
    string Body,
    string? AuthorName = null,
    string? AuthorUrl = null,
    string? AuthorEmail = null,
    int? ElapsedMs = null);

/// <summary>
/// A comment with a moderator's (or a dataset's) verdict; <see cref="Source"/> names the file or origin, <see cref="Kind"/> the
/// family a dataset's author filed it under ("reader-reply", "spam-hard-vouch"), and <see cref="Thread"/> the article it was
/// posted under, when the file says. Neither is a feature.
/// </summary>
public sealed record LabelledComment(SpamModelInput Input, bool IsSpam, string Source = "", string? Kind = null, string? Thread = null);
