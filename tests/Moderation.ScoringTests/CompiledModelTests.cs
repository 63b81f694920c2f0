using System.Text.RegularExpressions;
using Moderation.Spam;
using Moderation.Spam.Sources;
using Moderation.Spam.Training;

namespace Moderation.ScoringTests;

public class CompiledModelTests
{
    [Fact]
    public async Task The_default_model_is_served_compiled_and_predicts_what_ML_NET_predicts_for_the_whole_seed_corpus()
    {
        var model = SpamModel.LoadDefault();
        var rows = (await SeedCorpus.Source().ReadAsync().ToListAsync()).Select(c => CommentFeatures.Extract(c.Input)).ToArray();

        var compiled = CompiledModel.TryCompile(new Microsoft.ML.MLContext(1), LinearContributions.Split(model.Transformer).Scoring);

        Assert.NotNull(compiled);
        Assert.Empty(compiled.Differences(rows, model.Predict(rows)));
        Assert.StartsWith("compiled", model.Serving);
    }

    [Theory]
    [InlineData(SpamTrainer.Sdca)]
    [InlineData(SpamTrainer.LogisticRegression)]
    [InlineData(SpamTrainer.Ensemble)]
    public void A_trained_linear_model_or_ensemble_is_compiled_and_scores_comments_it_never_saw_as_ML_NET_does(SpamTrainer trainer)
    {
        var model = Train(trainer);
        var unseen = TestData.Comments(12).Select(c => c.Input with { Body = c.Input.Body + " plus words unseen in training ¿qué? 🚀" })
            .Select(i => CommentFeatures.Extract(i)).ToArray();

        var compiled = CompiledModel.TryCompile(new Microsoft.ML.MLContext(1), LinearContributions.Split(model.Transformer).Scoring);

        Assert.StartsWith("compiled", model.Serving);
        Assert.Empty(compiled!.Differences(unseen, model.Predict(unseen)));
    }

    [Fact]
    public void One_at_a_time_the_probabilities_are_ML_NETs_and_the_reasons_those_of_a_batch()
    {
        var model = SpamModel.LoadDefault();
        SpamModelInput[] inputs = [new("Great post! Check my site http://seo4.xyz for 500 backlinks", "Seo Guru", "http://seo4.xyz"),
            new("The council should explain why the bus budget rose 12 percent since 2019.", "Ann", null, "ann@example.org", 90_000)];

        var single = inputs.Select(model.Score).ToArray();
        var viaMlNet = model.Predict([.. inputs.Select(i => CommentFeatures.Extract(i))]).ToArray();

        for (var i = 0; i < inputs.Length; i++)
            Assert.Equal(viaMlNet[i].Probability, single[i].Probability, 5);
        var named = Regex.Matches(single[0].Reason, "'([^']+)'").Select(m => m.Groups[1].Value);
        // Words of the comment, as the model weighs them (whole words: a feature's name such as 'link' is not one)
        Assert.Contains(named, n => Regex.IsMatch(inputs[0].Body, $@"\b{Regex.Escape(n)}\b", RegexOptions.IgnoreCase));
        Assert.Equal(single.Select(s => s.Reason), model.ScoreBatch(inputs).Select(s => s.Reason));
    }

    [Fact]
    public void Trees_without_the_linear_model_are_not_compiled_and_are_served_by_ML_NET()
    {
        var model = Train(SpamTrainer.LightGbm);

        Assert.Null(CompiledModel.TryCompile(new Microsoft.ML.MLContext(1), LinearContributions.Split(model.Transformer).Scoring));
        Assert.Equal("ML.NET", model.Serving);
    }

    [Fact]
    public void Predictions_that_differ_from_ML_NETs_are_reported_so_the_compiled_model_would_not_serve()
    {
        var model = SpamModel.LoadDefault();
        var other = Train(SpamTrainer.LogisticRegression);
        var rows = TestData.Comments(5).Select(c => CommentFeatures.Extract(c.Input)).ToArray();
        var compiled = CompiledModel.TryCompile(new Microsoft.ML.MLContext(1), LinearContributions.Split(model.Transformer).Scoring)!;

        var differences = compiled.Differences(rows, other.Predict(rows));

        Assert.NotEmpty(differences);
        Assert.Contains(differences, d => d.Contains("probability"));
    }

    private static SpamModel Train(SpamTrainer trainer) =>
        new SpamModelTrainer().Train(TestData.Comments(30), new TrainingOptions { Candidates = [trainer], Folds = 3, Name = "test" }).ToSpamModel();
}
