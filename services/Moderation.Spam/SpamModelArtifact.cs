using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;

namespace Moderation.Spam;

/// <summary>Thrown when a model file cannot be used; the caller keeps the model it has.</summary>
public sealed class SpamModelLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A model file is ML.NET's zip with one more entry, <see cref="MetadataEntry"/>, so version and
/// metrics travel with the weights and cannot be mixed up with another file's.
/// </summary>
public static class SpamModelArtifact
{
    public const string MetadataEntry = "Moderation/metadata.json";

    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, SpamModelMetadata metadata, Stream destination)
    {
        using var buffer = new MemoryStream();
        ml.Model.Save(model, inputSchema, buffer);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.CreateEntry(MetadataEntry, CompressionLevel.Optimal);
            using var s = entry.Open();
            JsonSerializer.Serialize(s, metadata, SpamModelMetadata.Json);
        }
        buffer.Position = 0;
        buffer.CopyTo(destination);
    }

    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, SpamModelMetadata metadata, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        Save(ml, model, inputSchema, metadata, file);
    }

    /// <summary>Reads the weights and the metadata; anything wrong becomes a <see cref="SpamModelLoadException"/>.</summary>
    public static (ITransformer Model, SpamModelMetadata Metadata) Load(MLContext ml, Stream source)
    {
        try
        {
            using var buffer = new MemoryStream();
            source.CopyTo(buffer);
            buffer.Position = 0;
            SpamModelMetadata metadata;
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true))
            {
                var entry = zip.GetEntry(MetadataEntry) ?? throw new SpamModelLoadException($"The model has no {MetadataEntry}: not a Moderation spam model.");
                using var s = entry.Open();
                metadata = JsonSerializer.Deserialize<SpamModelMetadata>(s, SpamModelMetadata.Json)
                    ?? throw new SpamModelLoadException("The model's metadata is empty.");
            }
            if (metadata.FeatureSchema != CommentFeatures.SchemaVersion)
                throw new SpamModelLoadException(
                    $"Model {metadata.Version} was trained on feature schema {metadata.FeatureSchema}; this build computes schema {CommentFeatures.SchemaVersion}.");
            buffer.Position = 0;
            return (ml.Model.Load(buffer, out _), metadata);
        }
        catch (SpamModelLoadException) { throw; }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or FormatException or JsonException
                                       or IOException or ArgumentException or NotSupportedException)
        {
            throw new SpamModelLoadException($"Not a usable spam model: {ex.Message}", ex);
        }
    }
}
