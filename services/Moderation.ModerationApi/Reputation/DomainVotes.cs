using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Reputation;
using Moderation.Data.Reviews;
using Moderation.Spam.Text;

namespace Moderation.ModerationApi.Reputation;

/// <summary>
/// How people's decisions teach the domain reputation: a comment's vote (<c>Comment.DomainVote</c>) moves from what it
/// was to what the decision says, and the counts of every domain it links move with it, on its site and on every site.
/// Runs in the decision's transaction; a comment decided again counts once.
/// </summary>
public static class DomainVotes
{
    /// <summary>The comments whose vote changes to <paramref name="to"/>, with the vote each had.</summary>
    public static async Task MoveAsync(ModerationDb db, IReadOnlyCollection<(Guid Id, LabelKind? From)> comments, LabelKind to, DateTime at,
        CancellationToken ct)
    {
        var changed = comments.Where(c => c.From != to).ToDictionary(c => c.Id, c => c.From);
        if (changed.Count == 0) return;
        var ids = changed.Keys.ToList();
        var linked = await db.Comments.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.SiteId, c.Body, c.AuthorUrl }).ToListAsync(ct);
        var counts = new List<DomainCount>();
        foreach (var c in linked)
        {
            var from = changed[c.Id];
            int spam = Vote(to, LabelKind.Spam) - Vote(from, LabelKind.Spam), ham = Vote(to, LabelKind.Ham) - Vote(from, LabelKind.Ham);
            foreach (var domain in Domains.Linked(c.Body, c.AuthorUrl))
            {
                counts.Add(new DomainCount(domain, c.SiteId, spam, ham));
                counts.Add(new DomainCount(domain, DomainReputation.EverySite, spam, ham));
            }
        }
        await db.AddAsync(counts, at, ct);
    }

    private static int Vote(LabelKind? vote, LabelKind kind) => vote == kind ? 1 : 0;
}
