using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.ML;

namespace Moderation.Spam;

/// <summary>Thrown when a model file cannot be used; the caller keeps the model it has.</summary>
public sealed class SpamModelLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A model file is ML.NET's zip with more entries: <see cref="MetadataEntry"/>, so version and metrics travel with the
/// weights and cannot be mixed up with another file's; and, for a model <see cref="CompiledModel"/> serves,
/// <see cref="CompiledEntry"/>, its tables, so a host serves it without loading ML.NET's pipeline (whose memory grows
/// with the vocabulary).
/// </summary>
public static class SpamModelArtifact
{
    public const string MetadataEntry = "Moderation/metadata.json";
    public const string CompiledEntry = "Moderation/compiled.bin";

    /// <summary>Names the layout of <see cref="CompiledEntry"/>; another is not read.</summary>
    private const string CompiledFormatName = "moderation-compiled-1";

    /// <summary>
    /// The most <see cref="CompiledEntry"/> unpacks to before it is ignored: a few times the largest vocabulary's tables, so
    /// an uploaded file that unpacks without end (a zip bomb) costs a bounded read, not the host's memory.
    /// </summary>
    internal const int MaxCompiledBytes = 64 << 20;

    /// <summary>
    /// The most a whole model file may unpack to, by its entries' declared lengths (an entry's stream ends at its declared
    /// length): many times the default's, so a file that would unpack without end is refused before ML.NET reads it.
    /// </summary>
    internal const long MaxUnpackedBytes = 256L << 20;

    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, SpamModelMetadata metadata, Stream destination)
    {
        using var buffer = new MemoryStream();
        ml.Model.Save(model, inputSchema, buffer);
        string fingerprint;
        using (var written = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true)) fingerprint = Fingerprint(written);
        // Compiled from the pipeline as read back from the file, as a host would load it: a freshly fitted one has
        // another shape (its chains nest otherwise).
        buffer.Position = 0;
        var compiled = CompiledModel.TryCompileVerified(ml, LinearContributions.Split(ml.Model.Load(buffer, out _)).Scoring);
        buffer.Position = 0;
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            using (var s = zip.CreateEntry(MetadataEntry, CompressionLevel.Optimal).Open())
                JsonSerializer.Serialize(s, metadata, SpamModelMetadata.Json);
            if (compiled is not null)
            {
                using var writer = new BinaryWriter(zip.CreateEntry(CompiledEntry, CompressionLevel.Optimal).Open(), Encoding.UTF8);
                writer.Write(CompiledFormatName);
                writer.Write(fingerprint);
                compiled.Write(writer);
            }
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
    public static (ITransformer Model, SpamModelMetadata Metadata) Load(MLContext ml, Stream source) => Read(source, (zip, file) =>
    {
        var metadata = ReadMetadata(zip);
        file.Position = 0;
        return (ml.Model.Load(file, out _), metadata);
    });

    /// <summary>
    /// The metadata, and the compiled tables when the file has them, they belong to its weights (fingerprint), and they
    /// still score the probe comments as ML.NET did when they were written; else null, and ML.NET's pipeline must be
    /// loaded (<see cref="Load"/>). Anything wrong with the file itself becomes a <see cref="SpamModelLoadException"/>.
    /// </summary>
    internal static (SpamModelMetadata Metadata, CompiledModel? Compiled) LoadCompiled(Stream source) => Read(source, (zip, _) =>
    {
        var metadata = ReadMetadata(zip);
        if (zip.GetEntry(CompiledEntry) is not { } entry) return (metadata, null);
        if (entry.Length > MaxCompiledBytes) return (metadata, null);
        var tables = new MemoryStream((int)entry.Length);
        using (var s = entry.Open()) s.CopyTo(tables); // the entry's stream ends at its declared length
        tables.Position = 0;
        using var reader = new BinaryReader(tables, Encoding.UTF8);
        try
        {
            if (reader.ReadString() != CompiledFormatName || reader.ReadString() != Fingerprint(zip)) return (metadata, null);
            var compiled = CompiledModel.Read(reader);
            return (metadata, compiled.ScoresItsProbes() ? compiled : null);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
        {
            return (metadata, null); // ML.NET's pipeline, if sound, serves
        }
    });

    /// <summary>Opens the file as a zip (copied first only when it cannot seek) and reads it.</summary>
    private static T Read<T>(Stream source, Func<ZipArchive, Stream, T> read)
    {
        try
        {
            var file = source;
            if (!source.CanSeek)
            {
                file = new MemoryStream();
                source.CopyTo(file);
                file.Position = 0;
            }
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            var unpacked = zip.Entries.Sum(e => e.Length);
            if (unpacked > MaxUnpackedBytes)
                throw new SpamModelLoadException(
                    $"The model unpacks to {unpacked >> 20} MiB, more than the {MaxUnpackedBytes >> 20} MiB a model file may: not loaded.");
            return read(zip, file);
        }
        catch (SpamModelLoadException) { throw; }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or FormatException or JsonException
                                       or IOException or ArgumentException or NotSupportedException)
        {
            throw new SpamModelLoadException($"Not a usable spam model: {ex.Message}", ex);
        }
    }

    private static SpamModelMetadata ReadMetadata(ZipArchive zip)
    {
        var entry = zip.GetEntry(MetadataEntry) ?? throw new SpamModelLoadException($"The model has no {MetadataEntry}: not a Moderation spam model.");
        SpamModelMetadata metadata;
        using (var s = entry.Open())
            metadata = JsonSerializer.Deserialize<SpamModelMetadata>(s, SpamModelMetadata.Json)
                ?? throw new SpamModelLoadException("The model's metadata is empty.");
        if (metadata.FeatureSchema != CommentFeatures.SchemaVersion)
            throw new SpamModelLoadException(
                $"Model {metadata.Version} was trained on feature schema {metadata.FeatureSchema}; this build computes schema {CommentFeatures.SchemaVersion}.");
        return metadata;
    }

    /// <summary>
    /// SHA-256 of ML.NET's entries as the zip's directory lists them (name, length and CRC-32, in name order): ties the
    /// compiled tables to the weights they came from without unpacking the weights at every load.
    /// </summary>
    private static string Fingerprint(ZipArchive zip) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
        zip.Entries.Where(e => !e.FullName.StartsWith("Moderation/", StringComparison.Ordinal)).OrderBy(e => e.FullName, StringComparer.Ordinal)
            .Select(e => $"{e.FullName} {e.Length} {e.Crc32:x8}")))));
}
