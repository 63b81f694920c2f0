using Moderation.Spam;
using Moderation.Spam.Sources;
using Moderation.Spam.Evaluation;

namespace Moderation.ScoringTests;

public class EvaluationTests
{
    [Fact]
    public void Metrics_match_a_hand_computed_example()
    {
        // 3 spam (0.9, 0.8, 0.3) and 3 ham (0.6, 0.2, 0.1): at 0.5, tp 2, fn 1, fp 1, tn 2.
        ScoredExample[] examples = [new(true, 0.9), new(true, 0.8), new(true, 0.3), new(false, 0.6), new(false, 0.2), new(false, 0.1)];

        var m = BinaryMetrics.Compute(examples);

        Assert.Equal(2.0 / 3, m.Precision, 6);
        Assert.Equal(2.0 / 3, m.Recall, 6);
        Assert.Equal(4.0 / 6, m.Accuracy, 6);
        Assert.Equal(1.0 / 3, m.Mcc, 6);
        Assert.Equal(8.0 / 9, m.RocAuc, 6); // 8 of the 9 spam–ham pairs are ordered right
    }

    [Fact]
    public void Operating_point_counts_shares_of_each_class()
    {
        ScoredExample[] examples = [new(true, 0.95), new(true, 0.5), new(true, 0.1), new(false, 0.05), new(false, 0.5), new(false, 0.92), new(false, 0.2)];

        var p = OperatingPoint.At(examples, approveBelow: 0.3, rejectAbove: 0.9);

        Assert.Equal(2.0 / 4, p.HamApproved, 6);
        Assert.Equal(1.0 / 4, p.HamToSpam, 6);
        Assert.Equal(1.0 / 3, p.SpamLeaked, 6);
        Assert.Equal(1.0 / 3, p.SpamCaught, 6);
        Assert.Equal(2.0 / 7, p.Held, 6);
        Assert.False(p.MeetsGoals);
    }

    [Fact]
    public void Deduplication_ignores_case_and_spacing_and_keeps_the_first()
    {
        LabelledComment[] comments = [new(new("Check  my channel"), true, "a"), new(new("check my channel "), true, "b"), new(new("other"), false, "a")];

        var distinct = LabelledData.Deduplicate(comments);

        Assert.Equal(["a", "a"], distinct.Select(c => c.Source));
    }

    [Fact]
    public void Stratified_folds_keep_the_class_balance()
    {
        var data = TestData.Comments(50);

        var folds = LabelledData.StratifiedFolds(data, 5, seed: 1);

        for (var k = 0; k < 5; k++)
            Assert.Equal(10, data.Where((c, i) => folds[i] == k && c.IsSpam).Count());
    }

    [Fact]
    public async Task Csv_source_reads_youtube_style_columns_and_multiline_quoted_text()
    {
        using var dir = new TempDirectory();
        var path = TestData.WriteCsv(dir.Path, "videos.csv", TestData.Comments(3));

        var comments = await new[] { new CsvLabelledCommentSource(path) }.ReadAllAsync();

        Assert.Equal(7, comments.Count);
        Assert.Equal("A reply over\ntwo lines, with \"quotes\"", comments[^1].Input.Body);
        Assert.Equal(3, comments.Count(c => c.IsSpam));
        Assert.All(comments, c => Assert.Equal("videos.csv", c.Source));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("spam", true)]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    [InlineData("ham", false)]
    [InlineData("false", false)]
    public void Labels_are_read_in_the_usual_spellings(string value, bool isSpam) =>
        Assert.Equal(isSpam, CsvLabelledCommentSource.ParseLabel(value));

    [Fact]
    public void Features_count_links_and_keep_hosts_as_words()
    {
        var row = CommentFeatures.Extract(new("Visit https://www.Example-Shop.top/deal and www.other.com NOW", AuthorEmail: "x@Mail.Example", ElapsedMs: 1200));

        Assert.Equal(2, row.Meta[0]);
        Assert.Contains("link example-shop.top", row.Words);
        Assert.Equal("mail.example", row.EmailDomain);
        Assert.Equal("under 3 s", row.ElapsedBucket);
        Assert.Equal(CommentFeatures.MetaCount, CommentFeatures.MetaNames.Length);
    }
}
