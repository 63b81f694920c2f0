using Moderation.Spam;

namespace Moderation.ScoringTests;

public class ThreadSafetyTests
{
    [Fact]
    public void Parallel_scoring_gives_the_same_results_as_sequential()
    {
        var model = SpamModel.LoadDefault();
        var inputs = TestData.Comments(100).Select(c => c.Input).ToArray();
        var sequential = inputs.Select(i => model.Score(i)).ToArray();

        var parallel = new SpamScore[inputs.Length];
        Parallel.For(0, inputs.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            var i = k % inputs.Length;
            var score = model.Score(inputs[i]);
            if (k < inputs.Length) parallel[i] = score;
            else Assert.Equal(sequential[i].Probability, score.Probability);
        });

        Assert.Equal(sequential.Select(s => s.Probability), parallel.Select(s => s.Probability));
        Assert.Equal(sequential.Select(s => s.Reason), parallel.Select(s => s.Reason));
    }
}
