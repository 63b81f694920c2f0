using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.Spam;
using Moderation.Spam.Sources;
using Moderation.Spam.Training;

namespace Moderation.ScoringTests;

/// <summary>The moderators' labels as training data, on a real SQLite file migrated like the standalone host's.</summary>
public sealed class DatabaseLabelsTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private string ConnectionString => $"Data Source={Path.Combine(_folder.Path, "moderation.db")};Pooling=false";

    public async Task InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
        await LabelledDatabase.FillAsync(db, TestData.Comments(20));
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    private SqliteModerationDb Open() => new(new DbContextOptionsBuilder<SqliteModerationDb>().UseSqlite(ConnectionString).Options);

    [Fact]
    public async Task Labels_are_read_joined_to_their_comments_oldest_first()
    {
        await using var db = Open();

        var read = await new[] { new DatabaseLabelledCommentSource(db) }.ReadAllAsync();

        LabelledDatabase.AssertReadBack(TestData.Comments(20), read);
    }

    [Fact]
    public async Task Labels_of_one_site_only_when_asked()
    {
        await using var db = Open();

        var other = await new[] { new DatabaseLabelledCommentSource(db, "elsewhere") }.ReadAllAsync();
        var demo = await new[] { new DatabaseLabelledCommentSource(db, LabelledDatabase.SiteId) }.ReadAllAsync();

        Assert.Empty(other);
        Assert.Equal(40, demo.Count);
        Assert.All(demo, c => Assert.Equal($"labels of {LabelledDatabase.SiteId}", c.Source));
    }

    [Fact]
    public async Task Retrainer_trains_on_older_labels_checks_on_the_newest_and_returns_a_loadable_model()
    {
        await using var db = Open();
        var reports = new List<RetrainProgress>();

        var result = await new SpamModelRetrainer(db).RetrainAsync(LabelledDatabase.SmallRetrain, new SynchronousProgress<RetrainProgress>(reports.Add));

        LabelledDatabase.AssertRetrained(result, reports, labels: 40);
    }

    [Fact]
    public async Task Train_command_reads_labels_from_the_database_given_by_connection_string()
    {
        var model = Path.Combine(_folder.Path, "labels.zip");

        var (exit, output, error) = await CliTests.RunAsync(
            "train", "--labels", "--sqlite", ConnectionString, "--trainer", "Sdca", "--folds", "3", "--name", "site-a", "--out-file", model);

        Assert.True(exit == 0, error);
        Assert.Contains("read labels: 40 comments (20 spam)", error);
        Assert.DoesNotContain("seed-corpus.csv", error); // labels alone unless --seed-corpus is given
        Assert.StartsWith("site-a-sdca-", SpamModel.Load(model).Version);
        Assert.Contains("labels", output);
    }
}

/// <summary>Fills a migrated database with labelled comments and checks what comes back; shared with the PostgreSQL test.</summary>
public static class LabelledDatabase
{
    public const string SiteId = "labels-test";

    /// <summary>Small and quick: no seed corpus, one learner, three folds.</summary>
    public static readonly RetrainOptions SmallRetrain = new()
    {
        IncludeSeedCorpus = false,
        HoldOutShare = 0.25,
        Training = new TrainingOptions { Candidates = [SpamTrainer.Sdca], Folds = 3, Name = "labels-test" },
    };

    /// <summary>One comment and one label per item, labelled one minute apart in list order; a comment without a label too.</summary>
    public static async Task FillAsync(ModerationDb db, IReadOnlyList<LabelledComment> comments)
    {
        db.Sites.Add(new Site { Id = SiteId, Name = "Labels test" });
        var start = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < comments.Count; i++)
        {
            var comment = NewComment(comments[i].Input.Body, i, start);
            db.Comments.Add(comment);
            // Inserted newest first, so reading in insertion order would fail the order check.
            db.Labels.Add(new Label
            {
                CommentId = comment.Id, Kind = comments[i].IsSpam ? LabelKind.Spam : LabelKind.Ham, By = "moderator",
                CreatedAt = start.AddMinutes(i),
            });
        }
        db.Comments.Add(NewComment("Not labelled yet: must not be read.", comments.Count, start));
        await db.SaveChangesAsync();
    }

    public static void AssertReadBack(IReadOnlyList<LabelledComment> written, IReadOnlyList<LabelledComment> read)
    {
        Assert.Equal(written.Select(c => (c.Input.Body, c.IsSpam)), read.Select(c => (c.Input.Body, c.IsSpam)));
        Assert.All(read, c => Assert.Equal("labels", c.Source));
        Assert.Equal("Reader 3", read[3].Input.AuthorName);
        Assert.Equal("https://reader3.example/", read[3].Input.AuthorUrl);
        Assert.Equal("reader3@example.org", read[3].Input.AuthorEmail);
        Assert.Equal(3_000 + 3, read[3].Input.ElapsedMs);
    }

    public static void AssertRetrained(RetrainResult result, IReadOnlyList<RetrainProgress> reports, int labels)
    {
        var held = (int)Math.Round(labels * SmallRetrain.HoldOutShare);
        Assert.Equal(held, result.HeldOutLabels);
        Assert.Equal(held, result.HeldOut.Count);
        Assert.Equal(labels - held, result.Metadata.TrainingRows);
        Assert.InRange(result.HeldOut.RocAuc, 0.5, 1.0);
        var model = SpamModel.Load(new MemoryStream(result.Artifact));
        Assert.Equal(result.Version, model.Version);
        Assert.StartsWith("labels-test-sdca-", result.Version);
        Assert.Equal("Sdca", result.Trainer);
        Assert.Contains("\"heldOut\"", result.MetricsJson);
        Assert.Contains(result.Version, result.MetricsJson);
        Assert.Equal([.. reports.Select(r => r.Fraction).Order()], reports.Select(r => r.Fraction));
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.Contains(reports, r => r.Stage == "training");
    }

    private static Comment NewComment(string body, int i, DateTime start) => new()
    {
        Id = Guid.NewGuid(), SiteId = SiteId, ThreadId = "t", AuthorName = $"Reader {i}", AuthorEmail = $"reader{i}@example.org",
        EmailHash = new string('0', 64), AuthorUrl = $"https://reader{i}.example/", Body = body, ElapsedMs = 3_000 + i,
        SubmittedAt = start.AddMinutes(-i), Status = CommentStatus.Held,
    };
}
