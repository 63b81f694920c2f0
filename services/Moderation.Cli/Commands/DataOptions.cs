using System.CommandLine;
using Moderation.Scoring.Model;
using Moderation.Scoring.Model.Data;
using Moderation.Scoring.Model.Training;

namespace Moderation.Cli.Commands;

/// <summary>Options shared by the commands that read labelled comments.</summary>
internal sealed class DataOptions
{
    public Option<string[]> Csv { get; } = new("--csv") { Description = "Labelled CSV file (repeatable). Needs a header row." };
    public Option<bool> SeedCorpus { get; } = new("--seed-corpus") { Description = "Also use the built-in seed corpus (the default when no --csv is given)." };
    public Option<string?> TextColumn { get; } = new("--text-column") { Description = "Column with the comment text (default: text, content, body or comment)." };
    public Option<string?> LabelColumn { get; } = new("--label-column") { Description = "Column with the label: 1/0, spam/ham, true/false (default: label, class, spam or is_spam)." };
    public Option<string?> AuthorColumn { get; } = new("--author-column") { Description = "Column with the author's name (default: author)." };
    public Option<string?> UrlColumn { get; } = new("--url-column") { Description = "Column with the author's URL (default: url)." };
    public Option<string?> EmailColumn { get; } = new("--email-column") { Description = "Column with the author's e-mail (default: email)." };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Csv, SeedCorpus, TextColumn, LabelColumn, AuthorColumn, UrlColumn, EmailColumn }) command.Options.Add(o);
    }

    public IReadOnlyList<ILabelledCommentSource> Sources(ParseResult r)
    {
        var files = r.GetValue(Csv) ?? [];
        var columns = new CsvColumns(r.GetValue(TextColumn), r.GetValue(LabelColumn), r.GetValue(AuthorColumn), r.GetValue(UrlColumn), r.GetValue(EmailColumn));
        var sources = new List<ILabelledCommentSource>();
        foreach (var file in files)
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"No CSV file at '{file}'.", file);
            sources.Add(new CsvLabelledCommentSource(file, columns));
        }
        if (files.Length == 0 || r.GetValue(SeedCorpus)) sources.Add(Scoring.Model.Data.SeedCorpus.Source());
        return sources;
    }

    public static async Task<IReadOnlyList<LabelledComment>> ReadAsync(IReadOnlyList<ILabelledCommentSource> sources, IProgress<string> progress, CancellationToken ct)
    {
        var all = new List<LabelledComment>();
        foreach (var source in sources)
        {
            var before = all.Count;
            await foreach (var c in source.ReadAsync(ct)) all.Add(c);
            var read = all.Skip(before).ToList();
            progress.Report($"read {source.Name}: {read.Count} comments ({read.Count(c => c.IsSpam)} spam)");
        }
        return all;
    }
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
