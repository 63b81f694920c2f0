using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Spam;
using Moderation.Spam.Sources;
using Moderation.Spam.Training;

namespace Moderation.IntegrationTests;

/// <summary>Retraining from the moderators' labels on real PostgreSQL (the SQLite case is in the scoring tests).</summary>
public sealed class DatabaseLabelsTests
{
    [Fact]
    public async Task Labels_on_postgres_train_a_model_checked_on_the_newest_labels()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var db = new PostgresModerationDb(new DbContextOptionsBuilder<PostgresModerationDb>().UseNpgsql(database.ConnectionString()).Options);
        await db.Database.MigrateAsync();
        db.Sites.Add(new Site { Id = "pg-labels", Name = "PG labels" });
        var start = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 24; i++)
        {
            var spam = i % 2 == 0;
            var comment = new Comment
            {
                Id = Guid.NewGuid(), SiteId = "pg-labels", ThreadId = "t", AuthorName = $"Reader {i}", AuthorEmail = $"r{i}@example.org",
                EmailHash = new string('0', 64), Status = CommentStatus.Held, SubmittedAt = start,
                Body = spam ? $"Cheap pills {i}0% off at www.pills{i}.shop, order now" : $"The council vote on the {i}th was close; the library stays open.",
            };
            db.Comments.Add(comment);
            db.Labels.Add(new Label { CommentId = comment.Id, Kind = spam ? LabelKind.Spam : LabelKind.Ham, CreatedAt = start.AddMinutes(24 - i) });
        }
        await db.SaveChangesAsync();

        var read = await new[] { new DatabaseLabelledCommentSource(db, "pg-labels") }.ReadAllAsync();
        var result = await new SpamModelRetrainer(db).RetrainAsync(new RetrainOptions
        {
            SiteId = "pg-labels", IncludeSeedCorpus = false, HoldOutShare = 0.25,
            Training = new TrainingOptions { Candidates = [SpamTrainer.Sdca], Folds = 3, Name = "pg" },
        });

        Assert.Equal(24, read.Count);
        Assert.Contains("23th", read[0].Input.Body); // labelled last-inserted first: oldest label first
        Assert.Equal(6, result.HeldOutLabels);
        Assert.Equal(18, result.Metadata.TrainingRows);
        Assert.Equal(result.Version, SpamModel.Load(new MemoryStream(result.Artifact)).Version);
    }
}
