namespace Moderation.Data.Sites;

/// <summary>A news site that embeds the comments: who may post from where, and how strictly it is moderated.</summary>
public sealed class Site
{
    public required string Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Origins (scheme://host[:port]) whose pages may post comments for this site, and where its articles are.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public bool AllowsOrigin(string origin) => AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);

    /// <summary>The origin of <paramref name="url"/> as browsers send it: scheme, host, and a port only when it is not the scheme's default.</summary>
    public static string OriginOf(Uri url) => url.IsDefaultPort ? $"{url.Scheme}://{url.Host}" : $"{url.Scheme}://{url.Host}:{url.Port}";

    /// <summary>The thresholds a new site starts with: chosen on the worst written source of the spam engine's evaluation (docs/scoring.md).</summary>
    public const double DefaultApproveBelow = 0.1, DefaultRejectAbove = 0.86;
    public const bool DefaultTrustApprovedAuthors = true;

    /// <summary>Spam score below which a comment is published without a person.</summary>
    public double ApproveBelow { get; set; } = DefaultApproveBelow;

    /// <summary>Spam score at or above which a comment goes to the spam folder.</summary>
    public double RejectAbove { get; set; } = DefaultRejectAbove;

    /// <summary>More links than this and the comment is held.</summary>
    public int MaxLinks { get; set; } = 2;

    public List<string> HoldWords { get; set; } = [];
    public List<string> BlockWords { get; set; } = [];
    public bool PremoderateAll { get; set; }
    /// <summary>
    /// Publishes a comment from an address with an approved comment on the site whatever its score below
    /// <see cref="RejectAbove"/>, unless a hold or spam rule applies: a site's regulars reach the page, as WordPress's
    /// "comment author must have a previously approved comment" lets them. On for new sites.
    /// </summary>
    public bool TrustApprovedAuthors { get; set; } = DefaultTrustApprovedAuthors;

    /// <summary>
    /// Holds a comment from an address with no approved comment on the site, whatever its score (WordPress's "comment author
    /// must have a previously approved comment"): replies planted from new addresses that read like readers reach a person.
    /// </summary>
    public bool HoldFirstComments { get; set; }

    /// <summary>Threads stop taking comments this many days after their first comment; null never closes.</summary>
    public int? CloseAfterDays { get; set; }

    /// <summary>Comments one IP may post to this site per minute.</summary>
    public int CommentsPerMinutePerIp { get; set; } = 5;

    /// <summary>Readers' reports after which a published comment is taken down and held for a moderator.</summary>
    public int ReportsToHold { get; set; } = 3;

    public DateTime UpdatedAt { get; set; }
}
