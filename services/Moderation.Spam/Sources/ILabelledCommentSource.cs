namespace Moderation.Spam.Sources;

/// <summary>
/// Somewhere labelled comments come from: CSV files, the seed corpus, and (wired by the moderation side)
/// moderators' decisions in the database. Training and evaluation read only through this.
/// </summary>
public interface ILabelledCommentSource
{
    /// <summary>Shown in progress and stored in the model's metadata.</summary>
    string Name { get; }

    IAsyncEnumerable<LabelledComment> ReadAsync(CancellationToken cancellationToken = default);
}

public static class LabelledCommentSources
{
    public static async Task<List<LabelledComment>> ReadAllAsync(this IEnumerable<ILabelledCommentSource> sources, CancellationToken ct = default)
    {
        var all = new List<LabelledComment>();
        foreach (var source in sources)
            await foreach (var c in source.ReadAsync(ct)) all.Add(c);
        return all;
    }
}
