using System.ComponentModel.DataAnnotations;

namespace Moderation.ReadApi.Caching;

public sealed class ReadCacheOptions
{
    public const string SectionName = "ReadCache";

    /// <summary>How long a response read from Redis is served from process memory (0: always ask Redis).</summary>
    [Range(0, 1000, ErrorMessage = "ReadCache:LocalMilliseconds must be between 0 and 1000.")]
    public int LocalMilliseconds { get; set; } = 250;
}
