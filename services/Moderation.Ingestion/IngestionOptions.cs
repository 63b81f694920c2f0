using System.ComponentModel.DataAnnotations;

namespace Moderation.Ingestion;

public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Signs the status links handed to submitters; the same on every ingestion instance.</summary>
    [Required(ErrorMessage = "Ingestion:StatusTokenSecret is required (a random string of 32+ characters, the same on every instance).")]
    [MinLength(32, ErrorMessage = "Ingestion:StatusTokenSecret must be at least 32 characters.")]
    public string StatusTokenSecret { get; set; } = "";

    /// <summary>Largest request body accepted for one comment.</summary>
    [Range(1024, 1024 * 1024, ErrorMessage = "Ingestion:MaxRequestBytes must be between 1024 and 1048576.")]
    public int MaxRequestBytes { get; set; } = 32 * 1024;

    /// <summary>How long to wait for the broker to confirm a submission before answering 503.</summary>
    [Range(1, 60, ErrorMessage = "Ingestion:AcceptTimeoutSeconds must be between 1 and 60.")]
    public int AcceptTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Most submissions sent to the broker as one message when several wait for it at once. 1: each alone, as a
    /// <c>CommentSubmitted</c>, which workers from before groups understand (for a rolling upgrade).
    /// </summary>
    [Range(1, 500, ErrorMessage = "Ingestion:MaxCommentsPerMessage must be between 1 and 500.")]
    public int MaxCommentsPerMessage { get; set; } = 50;

    /// <summary>Messages to the broker awaiting their confirm at once; submissions arriving meanwhile wait and travel together.</summary>
    [Range(1, 64, ErrorMessage = "Ingestion:ConcurrentSends must be between 1 and 64.")]
    public int ConcurrentSends { get; set; } = 4;

    /// <summary>Store each submission in the database before answering 202 and resume unfinished ones at
    /// start-up (the standalone host, whose in-memory transport does not survive a crash).</summary>
    public bool StoreBeforeAccepting { get; set; }
}
