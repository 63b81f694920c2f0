using System.ComponentModel.DataAnnotations;

namespace Moderation.Scoring.Rules;

public sealed class RuleOptions
{
    public const string SectionName = "Rules";

    /// <summary>How far back duplicates are looked for.</summary>
    [Range(1, 7 * 24 * 60, ErrorMessage = "Rules:DuplicateWindowMinutes must be between 1 and 10080.")]
    public int DuplicateWindowMinutes { get; set; } = 60;

    /// <summary>Shorter texts ("Agreed.", "Great article!") are said by many people independently.</summary>
    [Range(0, 1000, ErrorMessage = "Rules:DuplicateMinLength must be between 0 and 1000.")]
    public int DuplicateMinLength { get; set; } = 40;

    /// <summary>Jaccard similarity at which a text is a copy of another.</summary>
    [Range(0.1, 1.0, ErrorMessage = "Rules:CopySimilarity must be between 0.1 and 1.")]
    public double CopySimilarity { get; set; } = 0.85;

    /// <summary>Similarity at which a text is a variant of another (a campaign changing a few words).</summary>
    [Range(0.1, 1.0, ErrorMessage = "Rules:VariantSimilarity must be between 0.1 and 1.")]
    public double VariantSimilarity { get; set; } = 0.5;

    /// <summary>Variants needed (besides the comment itself) to call it a campaign.</summary>
    [Range(1, 100, ErrorMessage = "Rules:CampaignVariants must be between 1 and 100.")]
    public int CampaignVariants { get; set; } = 2;

    [Range(1, 24 * 60, ErrorMessage = "Rules:FloodWindowMinutes must be between 1 and 1440.")]
    public int FloodWindowMinutes { get; set; } = 10;

    /// <summary>More comments than this from one IP or one email in the window, and the next ones are held.</summary>
    [Range(1, 10_000, ErrorMessage = "Rules:FloodMaxComments must be between 1 and 10000.")]
    public int FloodMaxComments { get; set; } = 5;

    /// <summary>
    /// A linked domain marked spam this many times more than it was approved (on the comment's site, or across sites)
    /// holds the comment.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Rules:DomainSpamToHold must be between 1 and 100000.")]
    public int DomainSpamToHold { get; set; } = 2;

    /// <summary>… and this many times more files it as spam.</summary>
    [Range(1, 100_000, ErrorMessage = "Rules:DomainSpamToSpam must be between 1 and 100000.")]
    public int DomainSpamToSpam { get; set; } = 5;
}
