using System.Text.Json;
using Moderation.Cli;

namespace Moderation.ScoringTests;

/// <summary>The `moderation` commands run in-process on small labelled files made here.</summary>
public class CliTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task Train_writes_a_versioned_model_with_its_metrics()
    {
        using var dir = new TempDirectory();
        var csv = TestData.WriteCsv(dir.Path, "labelled.csv", TestData.Comments(25));
        var models = Path.Combine(dir.Path, "models");

        var (code, output) = await Run("train", "--csv", csv, "--text-column", "CONTENT", "--label-column", "CLASS",
            "--trainer", "Sdca", "--folds", "3", "--name", "cli", "--out", models);

        Assert.Equal(0, code);
        var model = Assert.Single(Directory.GetFiles(models, "cli-sdca-*.zip"));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(model, null) + ".metrics.json"));
        var cv = metrics.RootElement.GetProperty("trainersCompared")[0].GetProperty("crossValidation");
        Assert.InRange(cv.GetProperty("f1").GetDouble(), 0.5, 1.0);
        Assert.Contains("| Sdca |", output);
        Assert.True(File.Exists(Path.ChangeExtension(model, null) + ".metrics.md"));
    }

    [Fact]
    public async Task Evaluate_protocol_writes_markdown_json_and_two_png_plots()
    {
        using var dir = new TempDirectory();
        var all = TestData.Comments(30, "a", "b");
        var a = TestData.WriteCsv(dir.Path, "a.csv", all.Where(c => c.Source == "a"));
        var b = TestData.WriteCsv(dir.Path, "b.csv", all.Where(c => c.Source == "b"));
        var outDir = Path.Combine(dir.Path, "eval");

        var (code, output) = await Run("evaluate", "--csv", a, "--csv", b, "--trainer", "Sdca", "--folds", "3", "--out", outDir, "--errors", "1");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "evaluation.json")));
        var trainer = json.RootElement.GetProperty("trainers")[0];
        foreach (var metric in new[] { "precision", "recall", "f1", "accuracy", "mcc", "rocAuc" })
            Assert.True(trainer.GetProperty("kFold").TryGetProperty(metric, out _), metric);
        Assert.Equal(2, trainer.GetProperty("perFile").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("operatingPoints").GetArrayLength() > 5);
        Assert.Contains("## Operating points", output);
        Assert.Contains("ham published", File.ReadAllText(Path.Combine(outDir, "evaluation.md")));
        AssertPng(Path.Combine(outDir, "evaluation-roc.png"));
        AssertPng(Path.Combine(outDir, "evaluation-scores.png"));
        var errors = File.ReadAllLines(Path.Combine(outDir, "evaluation-errors.md"));
        Assert.Equal("# Worst leave-one-file-out mistakes", errors[0]);
        Assert.Contains("## a.csv", errors);
        Assert.Contains("## b.csv", errors);
        Assert.Equal(2, errors.Count(l => l.StartsWith("| ham | ", StringComparison.Ordinal))); // one reader per file
        Assert.Equal(2, errors.Count(l => l.StartsWith("| spam | ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Evaluate_a_model_file_and_score_one_comment_with_it()
    {
        using var dir = new TempDirectory();
        var csv = TestData.WriteCsv(dir.Path, "labelled.csv", TestData.Comments(25));
        var heldOut = TestData.WriteCsv(dir.Path, "held-out.csv", TestData.Comments(10));
        var modelPath = Path.Combine(dir.Path, "m.zip");
        Assert.Equal(0, (await Run("train", "--csv", csv, "--trainer", "Sdca", "--folds", "3", "--out-file", modelPath)).Code);

        var (evalCode, evalOutput) = await Run("evaluate", "--model", modelPath, "--csv", csv, "--holdout", heldOut, "--out", dir.Path, "--report-name", "m", "--errors", "2");
        var (scoreCode, scoreOutput) = await Run("score", "--model", modelPath, "--body", "Cheap pills without prescription at www.pills9.shop");

        Assert.Equal(0, evalCode);
        Assert.Contains("# Evaluation of model custom-sdca-", evalOutput);
        AssertPng(Path.Combine(dir.Path, "m-roc.png"));
        var errors = File.ReadAllLines(Path.Combine(dir.Path, "m-errors.md"));
        Assert.StartsWith("# Worst mistakes of model custom-sdca-", errors[0]);
        Assert.Contains("## labelled.csv", errors);
        Assert.DoesNotContain("## held-out.csv", errors); // held-out files are scored, never read for mistakes
        Assert.Equal(2, errors.Count(l => l.StartsWith("| ham | ", StringComparison.Ordinal))); // the two readers scored most spam-like
        Assert.Equal(2, errors.Count(l => l.StartsWith("| spam | ", StringComparison.Ordinal)));
        Assert.Equal(0, scoreCode);
        Assert.Matches(@"probability: 0\.\d{3}", scoreOutput);
        Assert.Contains("reason: model ", scoreOutput);
        Assert.Matches(@"\+\d\.\d{3}  '[^']+'", scoreOutput); // at least one n-gram pushed towards spam
    }

    [Fact]
    public async Task Evaluate_reports_each_kind_of_comment_a_file_names()
    {
        using var dir = new TempDirectory();
        var csv = Path.Combine(dir.Path, "kinds.csv");
        File.WriteAllLines(csv,
        [
            "text,label,kind",
            .. Enumerable.Range(1, 20).Select(i => $"Agreed with point {i}.,ham,reader-short"),
            "The council should publish the full budget before the vote.,ham,reader-opinion",
            "WIN BIG at the best online casino http://casino-bonus.top free spins today,spam,spam-casino-link",
            "Cheap pills without prescription at www.pills9.shop order now,spam,spam-pharma-link",
        ]);
        var withoutKinds = TestData.WriteCsv(dir.Path, "plain.csv", TestData.Comments(5));

        var (code, output) = await Run("evaluate", "--model", "default", "--csv", csv, "--out", dir.Path, "--report-name", "k");
        var (plainCode, plainOutput) = await Run("evaluate", "--model", "default", "--csv", withoutKinds, "--out", dir.Path, "--report-name", "p");

        Assert.Equal(0, code);
        Assert.Contains("## By kind", output);
        Assert.Matches(@"\| ham \| reader-short \| 20 \| [\d.]+ % \| [\d.]+ % \| [\d.]+ % \|", output);
        Assert.Contains("| ham | reader-opinion | 1 |", output); // a lone small kind keeps its name
        Assert.Contains("| spam | 2 other kinds, each under 20 comments | 2 | 0.0 % |", output); // small kinds share a row; no spam published
        Assert.DoesNotContain("spam-casino-link", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "k.json")));
        var kinds = json.RootElement.GetProperty("perKind").EnumerateArray().ToList();
        Assert.Equal(["reader-short", "reader-opinion", "spam-casino-link", "spam-pharma-link"], kinds.Select(k => k.GetProperty("kind").GetString()));
        foreach (var k in kinds) // every comment of a kind is published, held or filed as spam
            Assert.Equal(1.0, k.GetProperty("published").GetDouble() + k.GetProperty("held").GetDouble() + k.GetProperty("toSpam").GetDouble(), 9);
        Assert.Equal(0, plainCode);
        Assert.DoesNotContain("## By kind", plainOutput); // a file without a kind column has no such section
    }

    [Fact]
    public async Task Evaluate_replays_the_site_rules_on_files_that_name_their_threads_or_emails()
    {
        using var dir = new TempDirectory();
        var csv = Path.Combine(dir.Path, "threads.csv");
        File.WriteAllLines(csv,
        [
            "text,label,author,thread",
            "WIN BIG at the best online casino http://casino-bonus.top free spins today,spam,Casino Bob,budget",
            "@Casino Bob thanks for the tip,spam,Sock Puppet,budget",
            "The council should publish the full budget before the vote.,ham,Ada Reader,budget",
            "@Ada agreed,ham,Ben Reader,budget",
            "@Casino Bob that is another thread,ham,Cy Reader,elsewhere",
        ]);
        var withoutThreads = TestData.WriteCsv(dir.Path, "plain.csv", TestData.Comments(5));

        // Publish below 0.5, never spam: the casino comment is held, so nobody saw it when the puppet replied.
        var (code, output) = await Run("evaluate", "--model", "default", "--csv", csv, "--approve-below", "0.5", "--reject-above", "1", "--out", dir.Path, "--report-name", "r");
        var (plainCode, plainOutput) = await Run("evaluate", "--model", "default", "--csv", withoutThreads, "--out", dir.Path, "--report-name", "p");

        Assert.Equal(0, code);
        Assert.Contains("## Site rules that read the thread and the author's history", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "r.json")));
        var file = Assert.Single(json.RootElement.GetProperty("siteRules").EnumerateArray());
        Assert.Equal(1, file.GetProperty("spamHeld").GetInt32());
        Assert.Equal(0, file.GetProperty("readersHeld").GetInt32());
        Assert.Equal(0, file.GetProperty("readersTrusted").GetInt32()); // no e-mails in the file, so no returning authors
        Assert.Equal(0.0, file.GetProperty("with").GetProperty("spamLeaked").GetDouble());
        Assert.Equal(0.5, file.GetProperty("without").GetProperty("spamLeaked").GetDouble());
        Assert.Equal(0, plainCode);
        Assert.DoesNotContain("## Site rules", plainOutput);
    }

    [Fact]
    public async Task Score_uses_the_built_in_model_by_default()
    {
        var (code, output) = await Run("score", "--body", "Subscribe to my channel and win a free iPhone!!!", "--url", "https://free-phones.top");

        Assert.Equal(0, code);
        Assert.Contains("model: default-", output);
    }

    [Fact]
    public async Task A_missing_csv_file_is_an_error_not_a_crash()
    {
        var (code, _) = await Run("train", "--csv", "/nonexistent/file.csv");

        Assert.NotEqual(0, code);
    }

    private static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
    }

    private static async Task<(int Code, string Output)> Run(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);
        return (code, output);
    }

    /// <summary>Runs the command line in-process; returns the exit code, standard output and the progress written to standard error.</summary>
    internal static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
