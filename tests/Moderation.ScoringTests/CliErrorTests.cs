using System.CommandLine;
using Microsoft.Data.Sqlite;
using Moderation.Cli;

namespace Moderation.ScoringTests;

/// <summary>
/// Every mistake a person can make on the command line ends in one line on standard error and exit code 2, never a
/// stack trace; anything unexpected in one line and exit code 1, its details only with --verbose.
/// </summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public static TheoryData<string, string[], string> Mistakes => new()
    {
        { "unknown command", ["frobnicate"], "unknown command or argument 'frobnicate'" },
        { "unknown option", ["train", "--fast"], "unknown option '--fast'" },
        { "no command", [], "moderation --help" },
        { "command group without its command", ["keys"], "moderation keys --help" },
        { "missing required option", ["keys", "create", "--role", "admin"], "--name" },
        { "value not among the choices", ["keys", "create", "--name", "x", "--role", "superuser"], "superuser" },
        { "value of the wrong type", ["bench-model", "--runs", "many"], "many" },
        { "folds below two", ["train", "--folds", "1"], "--folds must be at least 2" },
        { "runs below one", ["bench-model", "--runs", "0"], "--runs must be at least 1" },
        { "threshold above one", ["evaluate", "--approve-below", "2"], "--approve-below must be between 0 and 1, not 2" },
        { "negative time to submit", ["score", "--body", "hi", "--elapsed-ms", "-5"], "--elapsed-ms must be at least 0" },
        { "thresholds crossed", ["evaluate", "--approve-below", "0.9", "--reject-above", "0.5", "--csv", "{dir}/enough.csv"], "--approve-below must not be above --reject-above" },
        { "missing CSV", ["train", "--csv", "{dir}/nope.csv"], "no CSV file at {dir}/nope.csv" },
        { "CSV that is a folder", ["train", "--csv", "{dir}"], "is a folder, not a CSV file" },
        { "missing holdout CSV", ["evaluate", "--csv", "{dir}/enough.csv", "--holdout", "{dir}/nope.csv"], "no CSV file at {dir}/nope.csv" },
        { "bad label", ["train", "--csv", "{dir}/bad-label.csv"], "bad-label.csv: row 3: label 'maybe' is not one of" },
        { "no label column", ["train", "--csv", "{dir}/no-label.csv"], "no-label.csv: no label column" },
        { "too few labels to train", ["train", "--csv", "{dir}/few.csv"], "too few labels: need at least 5 spam and 5 ham" },
        { "too few labels to evaluate", ["evaluate", "--csv", "{dir}/few.csv", "--folds", "3"], "too few labels: need at least 3 spam and 3 ham" },
        { "missing model file", ["score", "--body", "hi", "--model", "{dir}/nope.zip"], "nope.zip" },
        { "model file that is not a model", ["score", "--body", "hi", "--model", "{dir}/few.csv"], "spam model" },
        { "missing model file to benchmark", ["bench-model", "--model", "{dir}/nope.zip", "--csv", "{dir}/few.csv"], "no model file at" },
        { "missing templates", ["seed-corpus", "--templates", "{dir}/nope.txt", "--out", "{dir}/out.csv"], "no templates file at" },
        { "bad templates", ["seed-corpus", "--templates", "{dir}/few.csv", "--out", "{dir}/out.csv"], "text before any @slot" },
        { "missing SQLite database", ["keys", "create", "--name", "x", "--role", "admin", "--sqlite", "{dir}/typo.db"], "no database at {dir}/typo.db; pass --create to make one" },
        { "missing SQLite database as a connection string", ["keys", "list", "--sqlite", "Data Source={dir}/typo.db"], "no database at {dir}/typo.db" },
        { "missing SQLite database for labels", ["train", "--labels", "--sqlite", "{dir}/typo.db"], "no database at {dir}/typo.db" },
        { "SQLite path that is a folder", ["keys", "list", "--sqlite", "{dir}"], "is a folder, not a database file" },
        { "SQLite file that is not a database", ["keys", "list", "--sqlite", "{dir}/few.csv"], "is not a SQLite database" },
        { "SQLite database without the schema", ["keys", "list", "--sqlite", "{dir}/empty.db"], "has no Moderation tables yet" },
        { "PostgreSQL that is not there", ["keys", "create", "--name", "x", "--role", "admin", "--postgres", "Host=127.0.0.1;Port=1;Database=nowhere;Timeout=3"], "cannot reach the PostgreSQL database 'nowhere' on 127.0.0.1:1" },
        { "not a PostgreSQL connection string", ["keys", "list", "--postgres", "Hots=x"], "--postgres: not a PostgreSQL connection string" },
        { "name too long", ["keys", "create", "--name", new string('n', 201), "--role", "admin", "--sqlite", "{dir}/typo.db"], "--name must be 1 to 200 characters" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_is_one_line_and_exit_code_2(string what, string[] args, string expected)
    {
        WriteFiles();
        var (code, output, error) = await CliTests.RunAsync([.. args.Select(Here)]);

        Assert.True(code == 2, $"{what}: exit code {code}, stderr: {error}");
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error), l => l.StartsWith("moderation:", StringComparison.Ordinal));
        Assert.Contains(Here(expected), line);
        Assert.All(Lines(error), l => Assert.True(l == line || l.StartsWith('['), $"{what}: more than one line besides progress: {error}"));
        Assert.DoesNotContain("   at ", error);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "typo.db")), $"{what} made a database");
    }

    [Fact]
    public async Task An_unexpected_failure_is_one_line_and_exit_code_1_with_its_details_only_when_verbose()
    {
        var (code, output, error) = await RunFailing();
        var (verboseCode, _, verboseError) = await RunFailing("--verbose");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("moderation: unexpected failure: the disk moved (--verbose shows the details)", Assert.Single(Lines(error)));
        Assert.Equal(1, verboseCode);
        Assert.StartsWith("moderation: unexpected failure: the disk moved", verboseError);
        Assert.Contains("System.InvalidOperationException: the disk moved", verboseError);
        Assert.Contains("   at ", verboseError);
    }

    [Fact]
    public async Task Help_is_not_an_error()
    {
        var (code, output, error) = await CliTests.RunAsync("keys", "revoke", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--sqlite", output);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("bench-model", "artifacts/evaluation/model-benchmark.md")]
    [InlineData("evaluate", "artifacts/evaluation")]
    [InlineData("train", "artifacts/models")]
    public void Reports_and_models_go_under_artifacts_unless_told(string command, string expected)
    {
        var parsed = CliApp.Build().Parse([command]);

        Assert.Equal(expected, parsed.GetValue<string>("--out"));
    }

    private static Task<(int, string, string)> RunFailing(params string[] options)
    {
        var fails = new Command("fail");
        fails.SetAction(int (_) => throw new InvalidOperationException("the disk moved"));
        var root = new RootCommand { fails };
        var output = new StringWriter();
        var error = new StringWriter();
        return CliApp.RunAsync(root, ["fail", .. options], output, error).ContinueWith(t => (t.Result, output.ToString(), error.ToString()));
    }

    private void WriteFiles()
    {
        TestData.WriteCsv(_dir.Path, "enough.csv", TestData.Comments(12));
        File.WriteAllText(Path.Combine(_dir.Path, "bad-label.csv"), "text,label\nThe bridge is open again,ham\nCheap pills at pills9.shop,maybe\n");
        File.WriteAllText(Path.Combine(_dir.Path, "no-label.csv"), "text,kind\nhello,ham\n");
        File.WriteAllText(Path.Combine(_dir.Path, "few.csv"), "text,label\nThe bridge is open again,ham\nCheap pills at pills9.shop,spam\n");
        using var empty = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "empty.db")}");
        empty.Open();
        using var create = empty.CreateCommand();
        create.CommandText = "CREATE TABLE notes (x TEXT)";
        create.ExecuteNonQuery();
    }

    private string Here(string text) => text.Replace("{dir}", _dir.Path);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
