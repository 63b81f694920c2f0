using System.ComponentModel.DataAnnotations;

namespace Moderation.ModerationApi.Models;

/// <summary>Model files uploaded to the admin API (<c>Models:Upload</c>).</summary>
public sealed class ModelUploadOptions
{
    public const string SectionName = "Models:Upload";

    /// <summary>The largest model zip accepted (413 above). The built-in model is about 5 MiB.</summary>
    [Range(1024, 1L << 30, ErrorMessage = "Models:Upload:MaxBytes must be between 1024 and 1073741824.")]
    public long MaxBytes { get; set; } = 32L << 20;
}
