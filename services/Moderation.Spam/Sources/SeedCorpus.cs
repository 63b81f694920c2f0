namespace Moderation.Spam.Sources;

/// <summary>
/// The labelled comments written for this project (Model/SeedCorpus/seed-corpus.csv, embedded in the
/// build); the default model is trained from these alone.
/// </summary>
public static class SeedCorpus
{
    public const string ResourceName = "Moderation.Spam.SeedCorpus.seed-corpus.csv";
    public const string SourceName = "seed-corpus.csv";

    public static ILabelledCommentSource Source() => new CsvLabelledCommentSource(SourceName, open: () =>
        new StreamReader(typeof(SeedCorpus).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The build has no embedded {ResourceName}.")));
}
