using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    public Option<string?> Postgres { get; } = new("--postgres") { Description = "With --labels: PostgreSQL connection string (default: ConnectionStrings__postgres from the environment, as the services read it)." };
    public Option<string?> Sqlite { get; } = new("--sqlite") { Description = "With --labels: SQLite connection string, e.g. \"Data Source=moderation.db\" (default: ConnectionStrings__sqlite)." };
    public Option<string?> TextColumn { get; } = new("--text-column") { Description = "Column with the comment text (default: text, content, body or comment)." };
    public Option<string?> LabelColumn { get; } = new("--label-column") { Description = "Column with the label: 1/0, spam/ham, true/false (default: label, class, spam or is_spam)." };
    public Option<string?> AuthorColumn { get; } = new("--author-column") { Description = "Column with the author's name (default: author)." };
    public Option<string?> UrlColumn { get; } = new("--url-column") { Description = "Column with the author's URL (default: url)." };
    public Option<string?> EmailColumn { get; } = new("--email-column") { Description = "Column with the author's e-mail (default: email)." };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Csv, SeedCorpus, Corpus, Labels, Site, Postgres, Sqlite, TextColumn, LabelColumn, AuthorColumn, UrlColumn, EmailColumn }) command.Options.Add(o);
    }

    /// <summary>The sources the options name; dispose it to close the database, if --labels opened one.</summary>
    public DataSources Open(ParseResult r)
    {
        var files = r.GetValue(Csv) ?? [];
        var columns = new CsvColumns(r.GetValue(TextColumn), r.GetValue(LabelColumn), r.GetValue(AuthorColumn), r.GetValue(UrlColumn), r.GetValue(EmailColumn));
        var sources = new List<ILabelledCommentSource>();
        foreach (var file in files)
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"No CSV file at '{file}'.", file);
            sources.Add(new CsvLabelledCommentSource(file, columns));
        }
        IHost? database = null;
        if (r.GetValue(Labels))
        {
            database = LabelsDatabase(r.GetValue(Postgres), r.GetValue(Sqlite));
            var scope = database.Services.CreateScope();
            sources.Add(new DatabaseLabelledCommentSource(scope.ServiceProvider.GetRequiredService<ModerationDb>(), r.GetValue(Site)));
        }
        if (sources.Count == 0 || r.GetValue(Corpus)) sources.AddRange(TrainingCorpus.Sources());
        else if (r.GetValue(SeedCorpus)) sources.Add(Spam.Sources.SeedCorpus.Source());
        return new DataSources(sources, database);
    }

    /// <summary>
    /// The database the services use, configured the way they are (<c>ConnectionStrings:postgres</c> or <c>:sqlite</c>,
    /// from the environment or the options). The host is built, not started: nothing is migrated or seeded.
    /// </summary>
    private static IHost LabelsDatabase(string? postgres, string? sqlite)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddEnvironmentVariables();
        var given = new Dictionary<string, string?>();
        if (postgres is not null) given[$"ConnectionStrings:{DataExtensions.PostgresKey}"] = postgres;
        if (sqlite is not null)
        {
            given[$"ConnectionStrings:{DataExtensions.SqliteKey}"] = sqlite;
            if (postgres is null) given[$"ConnectionStrings:{DataExtensions.PostgresKey}"] = ""; // --sqlite wins over the environment's PostgreSQL
        }
        builder.Configuration.AddInMemoryCollection(given);
        builder.Services.AddLogging();
        builder.AddModerationData();
        return builder.Build();
    }

    /// <summary>Sources for CSV files in the usual columns (for the options that name files of a role of their own).</summary>
    public static IReadOnlyList<ILabelledCommentSource> CsvSources(IEnumerable<string>? files) =>
        [.. (files ?? []).Select(f => File.Exists(f) ? new CsvLabelledCommentSource(f) : throw new FileNotFoundException($"No CSV file at '{f}'.", f))];

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

/// <summary>Labelled-comment sources and the database host behind --labels, if any.</summary>
internal sealed class DataSources(IReadOnlyList<ILabelledCommentSource> sources, IHost? database) : IDisposable
{
    public IReadOnlyList<ILabelledCommentSource> Sources => sources;

    public void Dispose() => database?.Dispose();
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
