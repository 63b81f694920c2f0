using Microsoft.ML;
using Microsoft.ML.Data;
using Moderation.Spam;
using Moderation.Spam.Training;

namespace Moderation.ScoringTests;

public class LinearContributionsTests
{
    public static TheoryData<string> Bodies =>
    [
        "Buy cheap pills online, no prescription, fast delivery www.cheap-pills-now.shop",
        "The council should explain why the bus budget rose 12 percent since 2019.",
        "Subscribe to my channel!!! Free giveaways every day http://seo4.xyz",
        "ok",
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public void The_default_model_keeps_the_contributions_ML_NET_computes(string body) =>
        AssertSameContributions(SpamModel.LoadDefault(), new SpamModelInput(body, "Reader", null, "reader@example.org", 40_000));

    [Theory]
    [InlineData(SpamTrainer.Sdca)]
    [InlineData(SpamTrainer.Ensemble)]
    public void Trained_linear_and_ensemble_models_keep_them_too(SpamTrainer trainer)
    {
        var model = new SpamModelTrainer().Train(TestData.Comments(30), new TrainingOptions { Candidates = [trainer], Folds = 3, Name = "test" }).ToSpamModel();
        AssertSameContributions(model, new SpamModelInput("Cheap pills without prescription 50% off at www.pills9.shop, says the council"));
    }

    [Fact]
    public void A_model_explained_by_trees_keeps_ML_NETs_calculator()
    {
        var model = new SpamModelTrainer().Train(TestData.Comments(30), new TrainingOptions { Candidates = [SpamTrainer.LightGbm], Folds = 3, Name = "test" }).ToSpamModel();

        var (scoring, linear) = LinearContributions.Split(model.Transformer);

        Assert.Null(linear);
        Assert.Same(model.Transformer, scoring);
    }

    /// <summary>The saved pipeline's own calculator against <see cref="LinearContributions"/> on the same features.</summary>
    private static void AssertSameContributions(SpamModel model, SpamModelInput input)
    {
        var ml = new MLContext(seed: 1);
        var (scoring, linear) = LinearContributions.Split(model.Transformer);
        Assert.NotNull(linear);
        Assert.NotSame(model.Transformer, scoring);

        var row = ModelRows.Load(ml, [CommentFeatures.Extract(input)]);
        var expected = ml.Data.CreateEnumerable<Contributions>(model.Transformer.Transform(row), reuseRowObject: false).Single();
        var actual = linear.Of(expected.Features);

        Assert.True(expected.FeatureContributions.GetValues().Length > 0);
        Assert.Equal(expected.FeatureContributions.Length, actual.Length);
        // The same values; the same slots, except where equal contributions tie for the last places kept.
        float[] Values(VBuffer<float> v) => [.. v.Items().Select(i => i.Value).Order()];
        Assert.Equal(Values(expected.FeatureContributions), Values(actual), new ToleranceComparer(1e-5f));
        var boundary = new[] { Values(actual).Where(v => v > 0).DefaultIfEmpty().Min(), Values(actual).Where(v => v < 0).DefaultIfEmpty().Max() };
        int[] Untied(VBuffer<float> v) => [.. v.Items().Where(i => !boundary.Any(b => Math.Abs(b - i.Value) < 1e-6)).Select(i => i.Key)];
        Assert.Equal(Untied(expected.FeatureContributions), Untied(actual));
        Assert.Equal(expected.Probability, (float)model.Score(input).Probability, 5);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }

    private sealed class Contributions
    {
        public float Probability { get; set; }
        public VBuffer<float> Features { get; set; }
        public VBuffer<float> FeatureContributions { get; set; }
    }
}
