using System.IO.Compression;
using Moderation.Spam;
using Moderation.Spam.Training;

namespace Moderation.ScoringTests;

/// <summary>The compiled tables a model file carries, so hosts serve it without loading ML.NET's pipeline.</summary>
public class CompiledTablesTests
{
    private static readonly Lazy<byte[]> EnsembleFile = new(() => Saved(SpamTrainer.Ensemble, TestData.Comments(30)));

    private static readonly SpamModelInput[] Unseen =
    [
        new("Great post! Cheap pills at http://pills-4u.example.top, no prescription needed", "Pharma Joe", "http://pills-4u.example.top", "joe@mailinator.com", 700),
        new("The council should explain why the bus budget rose 12 percent since 2019.", "Ann", null, "ann@example.org", 90_000),
        new("¿Alguien sabe a qué hora abre la biblioteca el domingo? 🚀", "Lucía"),
        new(""),
    ];

    [Fact]
    public void A_saved_model_is_served_from_its_tables_and_scores_and_explains_as_when_compiled_from_ML_NETs_pipeline()
    {
        var fromTables = SpamModel.Load(new MemoryStream(EnsembleFile.Value));
        var fromPipeline = SpamModel.Load(new MemoryStream(WithEntry(EnsembleFile.Value, SpamModelArtifact.CompiledEntry, null)));

        Assert.True(fromTables.ServedFromFile);
        Assert.False(fromPipeline.ServedFromFile);
        Assert.Equal("compiled", fromPipeline.Serving);
        Assert.Equal(fromPipeline.Version, fromTables.Version);
        var expected = fromPipeline.ScoreBatch(Unseen);
        var actual = fromTables.ScoreBatch(Unseen);
        Assert.Equal(expected.Select(s => (s.Probability, s.Reason)), actual.Select(s => (s.Probability, s.Reason)));
        Assert.Equal(expected.Select(s => s.Probability), Unseen.Select(i => fromTables.Score(i).Probability));
    }

    [Fact]
    public void The_default_model_is_served_from_its_tables()
    {
        var model = SpamModel.LoadDefault();

        Assert.True(model.ServedFromFile);
        Assert.Equal("compiled, tables from its file", model.Serving);
    }

    [Fact]
    public void Served_from_its_tables_a_model_still_gives_ML_NETs_own_predictions_read_again_from_its_file()
    {
        var model = SpamModel.Load(new MemoryStream(EnsembleFile.Value));
        var rows = Unseen.Select(i => CommentFeatures.Extract(i)).ToArray();

        var viaMlNet = model.Predict(rows).ToArray();

        var served = model.ScoreBatch(Unseen);

        Assert.True(model.ServedFromFile);
        var compared = served.Zip(viaMlNet).Where(pair => !pair.First.FormAloneLowered).ToList(); // the form-alone hold is not ML.NET's
        Assert.True(compared.Count >= 3);
        Assert.All(compared, pair => Assert.Equal(pair.Second.Probability, pair.First.Probability, 5));
    }

    [Fact]
    public void Damaged_tables_are_not_served_and_ML_NETs_pipeline_serves_the_model_instead()
    {
        var tables = EntryBytes(EnsembleFile.Value, SpamModelArtifact.CompiledEntry);
        var flipped = tables.ToArray();
        for (var i = tables.Length / 2; i < tables.Length / 2 + 64; i++) flipped[i] ^= 0x5a;

        foreach (var damaged in new[] { flipped, tables[..(tables.Length / 3)], [] })
        {
            var model = SpamModel.Load(new MemoryStream(WithEntry(EnsembleFile.Value, SpamModelArtifact.CompiledEntry, damaged)));

            Assert.False(model.ServedFromFile);
            Assert.Equal("compiled", model.Serving);
        }
    }

    [Fact]
    public void Tables_that_unpack_past_their_bound_are_not_read_and_ML_NETs_pipeline_serves_the_model()
    {
        var oversized = WithEntry(EnsembleFile.Value, SpamModelArtifact.CompiledEntry, new byte[SpamModelArtifact.MaxCompiledBytes + 1]);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var model = SpamModel.Load(new MemoryStream(oversized));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.True(oversized.Length < 1 << 20); // zeros: small packed, large unpacked
        Assert.True(allocated < SpamModelArtifact.MaxCompiledBytes / 2, $"{allocated:N0} bytes allocated to load it"); // not unpacked into memory
        Assert.False(model.ServedFromFile);
        Assert.Equal("compiled", model.Serving);
    }

    [Fact]
    public void A_file_that_unpacks_past_the_bound_is_refused_before_anything_is_unpacked()
    {
        var bomb = WithEntry(EnsembleFile.Value, "padding.bin", new byte[SpamModelArtifact.MaxUnpackedBytes + 1]);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SpamModelLoadException>(() => SpamModel.Load(new MemoryStream(bomb)));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.True(bomb.Length < 2 << 20); // zeros: small packed, large unpacked
        Assert.Contains("more than the 256 MiB a model file may", error.Message);
        Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated to refuse it");
    }

    [Fact]
    public void Tables_written_for_other_weights_are_not_served()
    {
        var other = Saved(SpamTrainer.LogisticRegression, TestData.Comments(30).Skip(10));
        var swapped = WithEntry(EnsembleFile.Value, SpamModelArtifact.CompiledEntry, EntryBytes(other, SpamModelArtifact.CompiledEntry));

        var model = SpamModel.Load(new MemoryStream(swapped));

        Assert.False(model.ServedFromFile);
        Assert.Equal(SpamModel.Load(new MemoryStream(EnsembleFile.Value)).ScoreBatch(Unseen).Select(s => s.Probability),
            model.ScoreBatch(Unseen).Select(s => s.Probability));
    }

    [Fact]
    public void A_file_with_sound_tables_but_damaged_weights_is_refused()
    {
        var file = EnsembleFile.Value;
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        var weights = zip.Entries.First(e => e.FullName.EndsWith("Model.key", StringComparison.Ordinal)).FullName;

        Assert.Throws<SpamModelLoadException>(() => SpamModel.Load(new MemoryStream(WithEntry(file, weights, [0xde, 0xad, 0xbe, 0xef]))));
    }

    [Fact]
    public void Trees_alone_have_no_tables_to_write()
    {
        var file = Saved(SpamTrainer.LightGbm, TestData.Comments(30));

        Assert.Null(new ZipArchive(new MemoryStream(file)).GetEntry(SpamModelArtifact.CompiledEntry));
        Assert.False(SpamModel.Load(new MemoryStream(file)).ServedFromFile);
    }

    private static byte[] Saved(SpamTrainer trainer, IEnumerable<LabelledComment> comments)
    {
        var trained = new SpamModelTrainer().Train([.. comments], new TrainingOptions { Candidates = [trainer], Folds = 3, Name = "tables" });
        using var file = new MemoryStream();
        trained.Save(file);
        return file.ToArray();
    }

    private static byte[] EntryBytes(byte[] file, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        using var entry = zip.GetEntry(name)!.Open();
        using var bytes = new MemoryStream();
        entry.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>The file with the entry's content replaced, or the entry removed when the content is null.</summary>
    private static byte[] WithEntry(byte[] file, string name, byte[]? content)
    {
        var copy = new MemoryStream();
        copy.Write(file);
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(name)?.Delete();
            if (content is not null)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(content);
            }
        }
        return copy.ToArray();
    }
}
