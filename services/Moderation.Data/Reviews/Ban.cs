namespace Moderation.Data.Reviews;

public enum BanKind
{
    /// <summary>The value is an email hash (see <c>CommentMapping.HashEmail</c>).</summary>
    Email,
    /// <summary>The value is an IP address as the ingestion saw it.</summary>
    Ip,
}

/// <summary>An author or address whose comments go straight to spam, on one site or (SiteId null) on all.</summary>
public sealed class Ban
{
    public Guid Id { get; set; }
    public string? SiteId { get; set; }
    public BanKind Kind { get; set; }
    public required string Value { get; set; }
    public string? Reason { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }

    /// <summary>Null: until lifted.</summary>
    public DateTime? ExpiresAt { get; set; }
}

public enum LabelKind
{
    Ham,
    Spam,
}

/// <summary>A person's verdict on a comment: the training set for the spam model.</summary>
public sealed class Label
{
    public Guid CommentId { get; set; }
    public LabelKind Kind { get; set; }

    /// <summary>Who decided (an API key's name, a user), for the audit trail.</summary>
    public string? By { get; set; }
    public DateTime CreatedAt { get; set; }
}
