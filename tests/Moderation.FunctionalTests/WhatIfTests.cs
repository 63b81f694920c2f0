using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary>The thresholds what-if, on comments with known scores and labels.</summary>
public sealed class WhatIfTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _admin = app.StaffClient();

    /// <summary>A new site with 12 scored comments in the last day (9 labelled), one older and one not yet scored.</summary>
    private async Task<string> SiteWithScoresAsync()
    {
        var id = $"whatif-{Guid.NewGuid():N}"[..20];
        (await _admin.PostAsJsonAsync("/api/v1/admin/sites", new { id, name = "What If" })).EnsureSuccessStatusCode();
        (double Score, LabelKind? Label)[] seeds =
        [
            (0.01, LabelKind.Ham), (0.05, LabelKind.Ham), (0.12, LabelKind.Ham), (0.5, LabelKind.Ham), (0.97, LabelKind.Ham),
            (0.03, LabelKind.Spam), (0.55, LabelKind.Spam), (0.96, LabelKind.Spam), (1.0, LabelKind.Spam),
            (0.2, null), (0.9, null), (0.99, null),
        ];
        var comments = seeds.Select((s, i) => LabelledComments.Scored(id, s.Score, i)).ToList();
        var old = LabelledComments.Scored(id, 0.01, 100, submittedAt: DateTime.UtcNow.AddDays(-60));
        var pending = LabelledComments.Scored(id, 0, 101);
        pending.SpamScore = null;
        pending.Status = CommentStatus.Pending;
        await LabelledComments.StoreAsync(app.Services, [.. comments, old, pending], [.. seeds.Select(s => s.Label), LabelKind.Ham, LabelKind.Ham]);
        return id;
    }

    [Fact]
    public async Task Counts_decisions_labelled_outcomes_and_histograms_at_the_proposed_thresholds()
    {
        var id = await SiteWithScoresAsync();

        var result = await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/sites/{id}/what-if?approveBelow=0.1&rejectAbove=0.95");

        Assert.Equal(id, (string?)result!["siteId"]);
        Assert.Equal(0.1, (double)result["approveBelow"]!);
        Assert.Equal(Site.DefaultApproveBelow, (double)result["current"]!["approveBelow"]!);
        Assert.Equal(Site.DefaultRejectAbove, (double)result["current"]!["rejectAbove"]!);
        Assert.Equal(12, (int)result["scored"]!);
        Assert.Equal(3, (int)result["wouldApprove"]!);
        Assert.Equal(5, (int)result["wouldHold"]!);
        Assert.Equal(4, (int)result["wouldSpam"]!);
        var labelled = result["labelled"]!;
        Assert.Equal(4, (int)labelled["spam"]!);
        Assert.Equal(5, (int)labelled["ham"]!);
        Assert.Equal(1, (int)labelled["spamPublished"]!);
        Assert.Equal(1, (int)labelled["hamSpammed"]!);
        Assert.Equal(1, (int)labelled["spamHeld"]!);
        Assert.Equal(2, (int)labelled["hamHeld"]!);
        var histogram = result["histogram"]!;
        Assert.Equal(0.05, (double)histogram["binWidth"]!);
        var spam = histogram["spam"]!.AsArray().Select(n => (int)n!).ToArray();
        var ham = histogram["ham"]!.AsArray().Select(n => (int)n!).ToArray();
        Assert.Equal(20, spam.Length);
        Assert.Equal(20, ham.Length);
        Assert.Equal(new Dictionary<int, int> { [0] = 1, [11] = 1, [19] = 2 }, Bins(spam));
        Assert.Equal(new Dictionary<int, int> { [0] = 1, [1] = 1, [2] = 1, [10] = 1, [19] = 1 }, Bins(ham));
    }

    [Fact]
    public async Task Defaults_to_the_current_thresholds_and_honours_the_window()
    {
        var id = await SiteWithScoresAsync();

        var current = await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/sites/{id}/what-if");
        Assert.Equal(Site.DefaultApproveBelow, (double)current!["approveBelow"]!);
        Assert.Equal(Site.DefaultRejectAbove, (double)current["rejectAbove"]!);
        Assert.Equal(12, (int)current["scored"]!);
        double[] belowHalf = [0.01, 0.05, 0.12, 0.03, 0.2]; // the site's scores under 0.5; the others are above
        Assert.Equal(belowHalf.Count(s => s < Site.DefaultApproveBelow), (int)current["wouldApprove"]!);

        var from = Uri.EscapeDataString(DateTime.UtcNow.AddDays(-90).ToString("O"));
        var to = Uri.EscapeDataString(DateTime.UtcNow.AddDays(-30).ToString("O"));
        var old = await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/sites/{id}/what-if?from={from}&to={to}");
        Assert.Equal(1, (int)old!["scored"]!);
        Assert.Equal(1, (int)old["labelled"]!["ham"]!);
    }

    [Theory]
    [InlineData("approveBelow=1.5", "approveBelow")]
    [InlineData("approveBelow=-0.01", "approveBelow")]
    [InlineData("rejectAbove=2", "rejectAbove")]
    [InlineData("approveBelow=0.8&rejectAbove=0.7", "rejectAbove")]
    [InlineData("from=2026-11-20T00:00:00Z&to=2026-11-10T00:00:00Z", "from")]
    public async Task Bad_parameters_are_400_with_the_field(string query, string field)
    {
        var response = await _admin.GetAsync($"/api/v1/admin/sites/{StandaloneApp.Site}/what-if?{query}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    private static Dictionary<int, int> Bins(int[] counts) =>
        counts.Select((c, i) => (c, i)).Where(x => x.c > 0).ToDictionary(x => x.i, x => x.c);
}
