namespace Moderation.Data;

/// <summary>Field lengths shared by validation and the schema, so the two never disagree.</summary>
public static class FieldLimits
{
    public const int SiteId = 100;
    public const int ThreadId = 300;
    public const int ThreadTitle = 300;
    public const int AuthorName = 100;
    public const int AuthorEmail = 254;
    public const int Url = 2000;
    public const int Body = 5000;

    /// <summary>A DNS name's longest form (RFC 1035), as a registrable domain in ASCII.</summary>
    public const int Domain = 253;
}
