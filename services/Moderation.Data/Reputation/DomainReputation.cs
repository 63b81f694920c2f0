namespace Moderation.Data.Reputation;

/// <summary>What an admin said about a domain, over whatever the moderators' decisions taught.</summary>
public enum DomainOverride
{
    None,
    /// <summary>Every comment linking it is spam.</summary>
    Blocked,
    /// <summary>Its reputation never holds a comment.</summary>
    Trusted,
}

/// <summary>
/// What the moderators' decisions taught about a registrable domain (<c>casino-example.top</c>), on one site or on every
/// site: how often comments linking it were marked spam and how often approved, and an admin's override. Each vote
/// counts on the comment's site and on every site (<see cref="EverySite"/>).
/// </summary>
public sealed class DomainReputation
{
    /// <summary>The <see cref="Scope"/> of the every-site row: not a site id (site ids start with a letter or digit).</summary>
    public const string EverySite = "*";

    /// <summary>Lower case, ASCII (punycode for international names), as <c>Domains.ForReputation</c> gives it.</summary>
    public required string Domain { get; set; }

    /// <summary>
    /// A site id, or <see cref="EverySite"/>. Not a nullable site id: a null cannot be part of a primary key, and
    /// the counters are upserted (<c>ON CONFLICT</c>) on this key on both PostgreSQL and SQLite.
    /// </summary>
    public required string Scope { get; set; }

    public int SpamCount { get; set; }
    public int HamCount { get; set; }

    /// <summary>When a decision last counted for it.</summary>
    public DateTime? LastSeenAt { get; set; }

    public DomainOverride Override { get; set; }
    public string? OverrideBy { get; set; }
    public DateTime? OverrideAt { get; set; }

    /// <summary>The site, or null for every site.</summary>
    public string? SiteId => Scope == EverySite ? null : Scope;

    public static string ScopeOf(string? siteId) => siteId ?? EverySite;
}
