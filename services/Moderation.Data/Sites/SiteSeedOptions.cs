namespace Moderation.Data.Sites;

/// <summary>
/// Sites upserted at start (<c>Sites:0:Id</c>, <c>Sites:0:AllowedOrigins:0</c>, …). With none configured,
/// the demo site is seeded so that a fresh install works out of the box.
/// </summary>
public sealed class SiteSeedOptions
{
    public const string SectionName = "Seed";

    public List<SeedSite> Sites { get; set; } = [];

    public IEnumerable<SeedSite> SitesOrDemo() => Sites.Count > 0 ? Sites : [SeedSite.Demo];
}

public sealed class SeedSite
{
    public static SeedSite Demo => new()
    {
        Id = "demo",
        Name = "The Daily Demo",
        AllowedOrigins = ["http://localhost:5000", "http://127.0.0.1:5000"],
        HoldWords = ["casino", "viagra", "crypto giveaway"],
        BlockWords = ["buy followers"],
    };

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> AllowedOrigins { get; set; } = [];
    public double ApproveBelow { get; set; } = Site.DefaultApproveBelow;
    public double RejectAbove { get; set; } = Site.DefaultRejectAbove;
    public int MaxLinks { get; set; } = 2;
    public List<string> HoldWords { get; set; } = [];
    public List<string> BlockWords { get; set; } = [];
    public bool PremoderateAll { get; set; }
    public bool TrustApprovedAuthors { get; set; } = Site.DefaultTrustApprovedAuthors;
    public bool HoldFirstComments { get; set; }
    public int? CloseAfterDays { get; set; }
    public int CommentsPerMinutePerIp { get; set; } = 5;

    /// <summary>When true the configuration wins over what is stored (the admin API's changes are lost at restart).</summary>
    public bool OverwriteOnStart { get; set; }

    public Site ToSite() => new()
    {
        Id = Id,
        Name = string.IsNullOrWhiteSpace(Name) ? Id : Name,
        AllowedOrigins = [.. AllowedOrigins],
        ApproveBelow = ApproveBelow,
        RejectAbove = RejectAbove,
        MaxLinks = MaxLinks,
        HoldWords = [.. HoldWords],
        BlockWords = [.. BlockWords],
        PremoderateAll = PremoderateAll,
        TrustApprovedAuthors = TrustApprovedAuthors,
        HoldFirstComments = HoldFirstComments,
        CloseAfterDays = CloseAfterDays,
        CommentsPerMinutePerIp = CommentsPerMinutePerIp,
        UpdatedAt = DateTime.UtcNow,
    };
}
