using Moderation.Spam;
using Moderation.Spam.Sources;
using Moderation.Spam.Training;

namespace Moderation.ScoringTests;

public class DefaultModelTests
{
    private static readonly Lazy<SpamModel> Model = new(SpamModel.LoadDefault);

    [Fact]
    public void Obvious_spam_scores_high_with_reasons_that_quote_its_words()
    {
        var score = Model.Value.Score(new SpamModelInput(
            "I make $6,000 a week trading bitcoin from home!! Message my mentor on WhatsApp, guaranteed profit http://fast-crypto-gains.top",
            AuthorName: "Profit Coach", AuthorUrl: "https://fast-crypto-gains.top", ElapsedMs: 2500));

        Assert.True(score.Probability > 0.9, $"spam scored {score.Probability}");
        Assert.Matches(@"^model (0\.9\d|1\.00) \('[^']+'", score.Reason);
        Assert.Contains(score.Contributions, c => c.IsText && c.Weight > 0);
    }

    [Fact]
    public void Reasons_name_a_link_as_the_comment_wrote_it_and_never_the_placeholder_the_features_read()
    {
        var score = Model.Value.Score(new SpamModelInput("Great post! Check my site http://seo4.xyz for 500 backlinks", "Seo Guru", "http://seo4.xyz"));

        var named = score.Contributions.Where(c => c.IsText).Select(c => c.Feature).ToList();
        Assert.DoesNotContain("link", named); // the features read a link as "link <domain>"
        Assert.DoesNotContain(named, n => n.Contains("seo0")); // digits are folded for the model, not for the moderator
        Assert.Contains("seo4.xyz", named);
    }

    [Fact]
    public void Friendly_reader_comment_scores_low()
    {
        var score = Model.Value.Score(new SpamModelInput(
            "Thanks for explaining the budget so clearly. I still think the council should have asked residents before closing the library.",
            AuthorName: "Anne K.", AuthorEmail: "anne.k@example.org", ElapsedMs: 95_000));

        Assert.True(score.Probability < 0.2, $"ham scored {score.Probability}");
        Assert.Contains("not spam-like", score.Reason);
    }

    [Fact]
    public async Task Default_model_was_trained_from_the_training_corpus_in_this_build()
    {
        var corpus = await TrainingCorpus.Sources().ReadAllAsync();

        Assert.Equal(SpamModelTrainer.DataHash(corpus), Model.Value.Metadata.DataSha256);
        Assert.StartsWith("default-", Model.Value.Version);
    }

    [Fact]
    public void Default_learner_and_thresholds_are_the_ones_the_committed_protocol_chose()
    {
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(
            Path.Combine(TestData.RepositoryRoot(), "docs/evaluation/corpus-leave-one-source-out.json")));
        var chosen = report.RootElement.GetProperty("chosenThresholds");
        var learner = report.RootElement.GetProperty("bestTrainer").GetString()!;

        Assert.Equal(ProposedThresholds.ApproveBelow, chosen.GetProperty("approveBelow").GetDouble());
        Assert.Equal(ProposedThresholds.RejectAbove, chosen.GetProperty("rejectAbove").GetDouble());
        Assert.StartsWith($"default-ml-{learner.ToLowerInvariant()}-", Model.Value.Version);
    }

    [Fact]
    public void Seed_corpus_is_what_the_generator_makes_from_the_templates()
    {
        var folder = Path.Combine(TestData.RepositoryRoot(), "services/Moderation.Spam/SeedCorpus");
        var templates = Cli.SeedCorpus.TemplateFile.Parse(File.ReadAllText(Path.Combine(folder, "templates.txt")));
        var generated = string.Join('\n', new Cli.SeedCorpus.SeedCorpusGenerator(templates, seed: 1).Lines()) + "\n";

        Assert.Equal(File.ReadAllText(Path.Combine(folder, "seed-corpus.csv")), generated);
    }

    [Fact]
    public void Batch_scores_equal_single_scores()
    {
        var inputs = TestData.Comments(10).Select(c => c.Input).ToArray();

        var batch = Model.Value.ScoreBatch(inputs);

        Assert.Equal(inputs.Select(i => Model.Value.Score(i).Probability), batch.Select(b => b.Probability));
        Assert.Equal(inputs.Select(i => Model.Value.Score(i).Reason), batch.Select(b => b.Reason));
    }
}
