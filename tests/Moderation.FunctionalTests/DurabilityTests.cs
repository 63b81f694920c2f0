using Moderation.Data.Comments;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;

namespace Moderation.FunctionalTests;

/// <summary>Standalone mode stores a submission before the 202; whatever was not scored is resumed at start.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Comment_left_pending_by_a_stopped_host_is_scored_and_shown_after_a_restart()
    {
        // A first host creates the database and the sites, then stops.
        await using (var first = StandaloneApp.On(_folder))
        {
            first.CreateClient();
        }

        // What a crash between the 202 and the scoring leaves behind: a pending row.
        var thread = NewThread();
        var pending = new Comment
        {
            Id = Guid.NewGuid(),
            SiteId = StandaloneApp.Site,
            ThreadId = thread,
            AuthorName = "Ada Reader",
            AuthorEmail = "ada@example.com",
            EmailHash = CommentMapping.HashEmail("ada@example.com"),
            Body = FriendlyBody,
            ElapsedMs = 40_000,
            SubmittedAt = DateTime.UtcNow.AddMinutes(-1),
            Status = CommentStatus.Pending,
        };
        await using (var db = StandaloneApp.OpenDatabase(_folder))
        {
            db.Comments.Add(pending);
            await db.SaveChangesAsync();
        }

        await using var second = StandaloneApp.On(_folder);
        var api = new CommentsClient(second.CreateClient());

        var page = await api.WaitForThreadAsync(thread, p => IdsOf(p).Contains(pending.Id), "the resumed comment to be listed");
        Assert.Equal([pending.Id], IdsOf(page));
        var stored = await second.FindCommentAsync(pending.Id);
        Assert.Equal(CommentStatus.Approved, stored!.Status);
        Assert.NotNull(stored.ScoredAt);
        Assert.NotNull(stored.SpamScore);
    }
}
