namespace Moderation.Spam.Sources;

/// <summary>
/// The comments generated from this project's templates (SeedCorpus/seed-corpus.csv, embedded in the build), one part
/// of the <see cref="TrainingCorpus"/>.
/// </summary>
public static class SeedCorpus
{
    public const string ResourceName = "Moderation.Spam.SeedCorpus.seed-corpus.csv";
    public const string SourceName = "seed-corpus.csv";

    public static ILabelledCommentSource Source() => TrainingCorpus.Embedded(ResourceName, SourceName);
}

/// <summary>
/// What the default model is trained from, embedded in the build (Corpus/README.md): the seed corpus, the comments
/// written for the project in the shape of a news site's form (Corpus/written), and the YouTube Spam Collection
/// (Corpus/youtube, CC BY 4.0). Corpus/holdout is not part of it: nothing is trained or chosen on it.
/// </summary>
public static class TrainingCorpus
{
    private const string Prefix = "Moderation.Spam.Corpus.";

    public static IReadOnlyList<ILabelledCommentSource> Sources() =>
    [
        SeedCorpus.Source(),
        .. typeof(TrainingCorpus).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(n => Embedded(n, n[Prefix.Length..])),
    ];

    /// <summary>
    /// Whether a source of the corpus holds comments of another kind than a news site's form (the YouTube collection):
    /// trained on and reported, but given no say in choosing the learner or the site thresholds.
    /// </summary>
    public static bool IsTrainOnly(string sourceName) => sourceName.StartsWith("Youtube", StringComparison.Ordinal);

    internal static ILabelledCommentSource Embedded(string resource, string name) => new CsvLabelledCommentSource(name, open: () =>
        new StreamReader(typeof(TrainingCorpus).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The build has no embedded {resource}.")));
}
