using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;

namespace Moderation.ModerationApi.Sites;

/// <summary>
/// The what-if figures as a few aggregate queries over one site's scored comments in a window (the database counts;
/// no comment is loaded): decisions at the proposed thresholds, the labelled ones' outcomes, 20-bin histograms.
/// </summary>
public sealed class WhatIfQuery(ModerationDb db, string siteId, DateTime from, DateTime to)
{
    public const int Bins = 20;
    public const double BinWidth = 1.0 / Bins;

    public sealed record Decisions(int Scored, int Approve, int Spam);

    private IQueryable<Comment> Scored => db.Comments.AsNoTracking()
        .Where(c => c.SiteId == siteId && c.SpamScore != null && c.SubmittedAt >= from && c.SubmittedAt < to);

    private IQueryable<ScoredLabel> Labelled =>
        from c in Scored
        join l in db.Labels.AsNoTracking() on c.Id equals l.CommentId
        select new ScoredLabel { Score = c.SpamScore!.Value, IsSpam = l.Kind == LabelKind.Spam };

    public async Task<Decisions> DecisionsAsync(double approveBelow, double rejectAbove, CancellationToken ct) =>
        (await Scored.GroupBy(_ => 1)
            .Select(g => new Decisions(g.Count(), g.Count(c => c.SpamScore < approveBelow), g.Count(c => c.SpamScore >= rejectAbove)))
            .ToListAsync(ct)).SingleOrDefault() ?? new Decisions(0, 0, 0); // one row, or none when nothing was scored

    public async Task<WhatIfApi.LabelledOutcome> LabelledAsync(double approveBelow, double rejectAbove, CancellationToken ct)
    {
        var byKind = await Labelled.GroupBy(l => l.IsSpam)
            .Select(g => new
            {
                IsSpam = g.Key,
                Count = g.Count(),
                Published = g.Count(l => l.Score < approveBelow),
                Spammed = g.Count(l => l.Score >= rejectAbove),
            })
            .ToListAsync(ct);
        var spam = byKind.FirstOrDefault(k => k.IsSpam);
        var ham = byKind.FirstOrDefault(k => !k.IsSpam);
        int Held(int count, int published, int spammed) => count - published - spammed;
        return new WhatIfApi.LabelledOutcome(
            spam?.Count ?? 0, ham?.Count ?? 0, spam?.Published ?? 0, ham?.Spammed ?? 0,
            spam is null ? 0 : Held(spam.Count, spam.Published, spam.Spammed),
            ham is null ? 0 : Held(ham.Count, ham.Published, ham.Spammed));
    }

    /// <summary>Counts of labelled spam and ham per bin of width 0.05 ([0, 0.05), …, [0.95, 1]).</summary>
    public async Task<(int[] Spam, int[] Ham)> HistogramsAsync(CancellationToken ct)
    {
        var counts = await Labelled.GroupBy(BinKey).Select(g => new { Key = g.Key, Count = g.Count() }).ToListAsync(ct);
        var spam = new int[Bins];
        var ham = new int[Bins];
        foreach (var c in counts)
        {
            if (c.Key >= Bins) spam[c.Key - Bins] += c.Count;
            else ham[c.Key] += c.Count;
        }
        return (spam, ham);
    }

    /// <summary>
    /// One number per (class, bin): <c>(spam ? 20 : 0) + (score &lt; 0.05 ? 0 : score &lt; 0.10 ? 1 : … : 19)</c>. Comparisons
    /// rather than a cast or floor, which the two databases round differently (PostgreSQL rounds a cast, SQLite truncates).
    /// </summary>
    private static readonly Expression<Func<ScoredLabel, int>> BinKey = BuildBinKey();

    private static Expression<Func<ScoredLabel, int>> BuildBinKey()
    {
        var label = Expression.Parameter(typeof(ScoredLabel), "l");
        var score = Expression.Property(label, nameof(ScoredLabel.Score));
        Expression bin = Expression.Constant(Bins - 1);
        for (var k = Bins - 2; k >= 0; k--)
            bin = Expression.Condition(Expression.LessThan(score, Expression.Constant((k + 1) / (double)Bins)), Expression.Constant(k), bin);
        var offset = Expression.Condition(Expression.Property(label, nameof(ScoredLabel.IsSpam)), Expression.Constant(Bins), Expression.Constant(0));
        return Expression.Lambda<Func<ScoredLabel, int>>(Expression.Add(offset, bin), label);
    }

    private sealed class ScoredLabel
    {
        public double Score { get; init; }
        public bool IsSpam { get; init; }
    }
}
