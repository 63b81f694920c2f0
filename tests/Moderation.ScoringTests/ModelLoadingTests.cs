using System.IO.Compression;
using Moderation.Spam;

namespace Moderation.ScoringTests;

public class ModelLoadingTests
{
    [Fact]
    public void Random_bytes_fail_to_load_with_a_clear_exception()
    {
        var error = Assert.Throws<SpamModelLoadException>(() => SpamModel.Load(new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8])));
        Assert.Contains("Not a usable spam model", error.Message);
    }

    [Fact]
    public void A_zip_without_metadata_is_not_a_spam_model()
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true)) zip.CreateEntry("something.txt");
        buffer.Position = 0;

        var error = Assert.Throws<SpamModelLoadException>(() => SpamModel.Load(buffer));
        Assert.Contains("metadata", error.Message);
    }

    [Fact]
    public void A_truncated_model_file_fails_to_load()
    {
        using var dir = new TempDirectory();
        var bytes = DefaultModelBytes();
        var path = Path.Combine(dir.Path, "broken.zip");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.Throws<SpamModelLoadException>(() => SpamModel.Load(path));
    }

    [Fact]
    public void A_missing_file_fails_to_load()
    {
        var error = Assert.Throws<SpamModelLoadException>(() => SpamModel.Load("/nonexistent/model.zip"));
        Assert.Contains("/nonexistent/model.zip", error.Message);
    }

    [Fact]
    public void A_model_with_damaged_weights_but_good_metadata_fails_to_load()
    {
        var buffer = new MemoryStream();
        buffer.Write(DefaultModelBytes());
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            foreach (var entry in zip.Entries.Where(e => e.FullName != SpamModelArtifact.MetadataEntry && e.FullName.EndsWith("Model.key", StringComparison.Ordinal)).ToList())
            {
                var name = entry.FullName;
                entry.Delete();
                using var s = zip.CreateEntry(name).Open();
                s.Write([0xde, 0xad, 0xbe, 0xef]);
            }
        }
        buffer.Position = 0;

        Assert.Throws<SpamModelLoadException>(() => SpamModel.Load(buffer));
    }

    internal static byte[] DefaultModelBytes()
    {
        using var s = SpamModel.OpenDefaultFile();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }
}
