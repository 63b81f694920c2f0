using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace Moderation.Spam;

/// <summary>
/// What a linear learner's contribution calculator computes (each feature times its weight, the
/// <see cref="Training.SpamPipeline.ContributionsKept"/> largest each way), from the features the comment has.
/// ML.NET's calculator multiplies dense vectors of every slot (all the n-grams of the vocabulary) for each
/// comment, which was most of the model's cost per comment.
/// </summary>
public sealed class LinearContributions
{
    private readonly float[] _weights;
    private readonly int _kept;

    internal LinearContributions(float[] weights, int kept) => (_weights, _kept) = (weights, kept);

    /// <summary>
    /// The model without the calculator that explains its linear learner, and what replaces it; a model explained
    /// otherwise (trees alone) comes back whole, with null.
    /// </summary>
    public static (ITransformer Scoring, LinearContributions? Linear) Split(ITransformer model)
    {
        if (model is not TransformerChain<ITransformer> chain) return (model, null);
        var parts = chain.ToList();
        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i] is FeatureContributionCalculatingTransformer
                && parts[i - 1] is ISingleFeaturePredictionTransformer<object> { Model: CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> linear })
            {
                parts.RemoveAt(i);
                return (new TransformerChain<ITransformer>([.. parts]), new LinearContributions([.. linear.SubModel.Weights], Training.SpamPipeline.ContributionsKept));
            }
        }
        return (model, null);
    }

    /// <summary>The kept contributions, as a sparse vector indexed like the features.</summary>
    public VBuffer<float> Of(in VBuffer<float> features)
    {
        // The largest each way, each through a min-heap of the kept size: a comment has hundreds of n-grams, and
        // sorting them all was most of this method's time.
        var positive = new PriorityQueue<int, float>(_kept + 1);
        var negative = new PriorityQueue<int, float>(_kept + 1);
        foreach (var (index, value) in features.Items())
        {
            if (index >= _weights.Length) continue;
            var contribution = value * _weights[index];
            if (contribution > 0) KeepLargest(positive, index, contribution);
            else if (contribution < 0) KeepLargest(negative, index, -contribution);
        }
        var count = positive.Count + negative.Count;
        var indices = new int[count];
        var values = new float[count];
        var n = 0;
        while (positive.TryDequeue(out var index, out var contribution)) (indices[n], values[n++]) = (index, contribution);
        while (negative.TryDequeue(out var index, out var contribution)) (indices[n], values[n++]) = (index, -contribution);
        Array.Sort(indices, values);
        return new VBuffer<float>(features.Length, count, values, indices);
    }

    private void KeepLargest(PriorityQueue<int, float> kept, int index, float size)
    {
        if (kept.Count < _kept) kept.Enqueue(index, size);
        else if (kept.TryPeek(out _, out var smallest) && size > smallest) kept.DequeueEnqueue(index, size);
    }
}
