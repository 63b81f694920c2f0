using System.CommandLine;
using Moderation.Data;
using Moderation.Spam;
using Moderation.Spam.Sources;
using Moderation.Spam.Training;

namespace Moderation.Cli.Commands;

/// <summary>Options shared by the commands that read labelled comments.</summary>
internal sealed class DataOptions
{
    public Option<string[]> Csv { get; } = new("--csv") { Description = "Labelled CSV file (repeatable). Needs a header row." };
    public Option<bool> SeedCorpus { get; } = new("--seed-corpus") { Description = "Also use the built-in seed corpus (generated from the templates)." };
    public Option<bool> Corpus { get; } = new("--corpus") { Description = "Also use the built-in training corpus: the seed corpus, the comments written for the project and the YouTube collection (the default when neither --csv nor --labels is given)." };
    public Option<bool> Labels { get; } = new("--labels") { Description = "Also use the moderators' labels in the database (labels joined to comments)." };
    public Option<string?> Site { get; } = new("--site") { Description = "With --labels: only this site's labels." };
    public DatabaseOptions Database { get; } = new("With --labels: ", canCreate: false);
    public Option<string?> TextColumn { get; } = new("--text-column") { Description = "Column with the comment text (default: text, content, body or comment)." };
    public Option<string?> LabelColumn { get; } = new("--label-column") { Description = "Column with the label: 1/0, spam/ham, true/false (default: label, class, spam or is_spam)." };
    public Option<string?> AuthorColumn { get; } = new("--author-column") { Description = "Column with the author's name (default: author)." };
    public Option<string?> UrlColumn { get; } = new("--url-column") { Description = "Column with the author's URL (default: url)." };
    public Option<string?> EmailColumn { get; } = new("--email-column") { Description = "Column with the author's e-mail (default: email)." };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Csv, SeedCorpus, Corpus, Labels, Site }) command.Options.Add(o);
        Database.AddTo(command);
        foreach (var o in new Option[] { TextColumn, LabelColumn, AuthorColumn, UrlColumn, EmailColumn }) command.Options.Add(o);
    }

    /// <summary>The sources the options name; dispose it to close the database, if --labels opened one.</summary>
    public async Task<DataSources> OpenAsync(ParseResult r, CancellationToken ct)
    {
        var columns = new CsvColumns(r.GetValue(TextColumn), r.GetValue(LabelColumn), r.GetValue(AuthorColumn), r.GetValue(UrlColumn), r.GetValue(EmailColumn));
        var sources = new List<ILabelledCommentSource>(CsvSources(r.GetValue(Csv), columns));
        ModerationDb? database = null;
        if (r.GetValue(Labels))
        {
            database = await Database.OpenAsync(r, migrate: false, ct);
            sources.Add(new DatabaseLabelledCommentSource(database, r.GetValue(Site)));
        }
        if (sources.Count == 0 || r.GetValue(Corpus)) sources.AddRange(TrainingCorpus.Sources());
        else if (r.GetValue(SeedCorpus)) sources.Add(Spam.Sources.SeedCorpus.Source());
        return new DataSources(sources, database);
    }

    /// <summary>Sources for CSV files; a file that is not there, or is a folder, is the caller's mistake.</summary>
    public static IReadOnlyList<ILabelledCommentSource> CsvSources(IEnumerable<string>? files, CsvColumns? columns = null) =>
        [.. (files ?? []).Select(f =>
            File.Exists(f) ? new CsvLabelledCommentSource(f, columns)
            : throw new UserError(Directory.Exists(f) ? $"{f} is a folder, not a CSV file." : $"no CSV file at {f}."))];

    /// <summary>
    /// Reads every source, telling progress how many comments each gave. A CSV file that cannot be read or parsed (a
    /// missing column, a row short of fields, a label that is not one) is the caller's mistake: its one line names the file.
    /// </summary>
    public static async Task<IReadOnlyList<LabelledComment>> ReadAsync(IReadOnlyList<ILabelledCommentSource> sources, IProgress<string> progress, CancellationToken ct)
    {
        var all = new List<LabelledComment>();
        foreach (var source in sources)
        {
            var before = all.Count;
            try
            {
                await foreach (var c in source.ReadAsync(ct)) all.Add(c);
            }
            catch (Exception ex) when (source is CsvLabelledCommentSource && ex is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new UserError(ex is FormatException ? ex.Message : $"cannot read {source.Name}: {ex.Message}", ex);
            }
            var read = all.Skip(before).ToList();
            progress.Report($"read {source.Name}: {read.Count} comments ({read.Count(c => c.IsSpam)} spam)");
        }
        return all;
    }
}

/// <summary>Labelled-comment sources and the database host behind --labels, if any.</summary>
internal sealed class DataSources(IReadOnlyList<ILabelledCommentSource> sources, ModerationDb? database) : IAsyncDisposable
{
    public IReadOnlyList<ILabelledCommentSource> Sources => sources;

    public ValueTask DisposeAsync() => database?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>The --trainer option: one or more learners to compare.</summary>
internal static class TrainerOption
{
    public static Option<SpamTrainer[]> Create(params SpamTrainer[] defaults) => new("--trainer")
    {
        Description = $"Learner to try (repeatable): {string.Join(", ", Enum.GetNames<SpamTrainer>())}. Default: {string.Join(", ", defaults)}.",
        DefaultValueFactory = _ => defaults,
    };
}

/// <summary>What the labelled comments must hold before a command can use them.</summary>
internal static class LabelCounts
{
    /// <summary>At least <paramref name="each"/> distinct spam and as many distinct ham comments (k-fold needs one of each per fold).</summary>
    public static void RequireBoth(IReadOnlyList<LabelledComment> comments, int each)
    {
        var data = Spam.Evaluation.LabelledData.Deduplicate(comments);
        var spam = data.Count(c => c.IsSpam);
        if (spam < each || data.Count - spam < each)
            throw new UserError($"too few labels: need at least {each} spam and {each} ham comments with distinct texts, got {spam} spam and {data.Count - spam} ham.");
    }

    public static void RequireAny(IReadOnlyList<LabelledComment> comments)
    {
        if (comments.Count == 0) throw new UserError("no labelled comments: the files (or --labels) gave none.");
    }
}
