using System.Text.Json.Serialization;

namespace Moderation.ModerationApi.Sites;

/// <summary>
/// The body of a create (<c>POST</c>) or an update (<c>PUT</c>). On an update a field left out keeps its value, so the
/// console can save just the thresholds; <c>closeAfterDays: null</c> said out loud means "never close".
/// </summary>
public sealed class SiteRequest
{
    private int? _closeAfterDays;

    /// <summary>Only on create; an update takes the id from the path.</summary>
    public string? Id { get; set; }
    public string? Name { get; set; }
    public List<string>? AllowedOrigins { get; set; }
    public double? ApproveBelow { get; set; }
    public double? RejectAbove { get; set; }
    public int? MaxLinks { get; set; }
    public List<string>? HoldWords { get; set; }
    public List<string>? BlockWords { get; set; }
    public bool? PremoderateAll { get; set; }
    public bool? TrustApprovedAuthors { get; set; }
    public bool? HoldFirstComments { get; set; }

    public int? CloseAfterDays
    {
        get => _closeAfterDays;
        set
        {
            _closeAfterDays = value;
            CloseAfterDaysGiven = true;
        }
    }

    public int? CommentsPerMinutePerIp { get; set; }
    public int? ReportsToHold { get; set; }

    /// <summary>Whether the body named <c>closeAfterDays</c> at all (null included).</summary>
    [JsonIgnore]
    public bool CloseAfterDaysGiven { get; private set; }
}
