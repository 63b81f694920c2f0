using System.Buffers;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Moderation.Spam.Training;

namespace Moderation.Spam;

/// <summary>
/// The trees of an <see cref="SpamTrainer.Ensemble"/> (LightGBM over the slots of "Features" that the mutual-information
/// selection kept) in plain C#: the selected slots scattered into an array, each tree walked from its root, the leaves
/// summed and calibrated. ML.NET builds a data view, a cursor and a dense vector of every slot for the same answer.
/// Only served as part of a <see cref="CompiledModel"/>, which is verified against ML.NET before it is used.
/// </summary>
internal sealed class CompiledTrees
{
    private readonly int[] _selectedOf; // "Features" slot → "SelectedFeatures" slot, or -1
    private readonly int _selectedCount;
    private readonly Tree[] _trees;
    private readonly double _bias;
    private readonly PlattCalibrator _calibrator;

    /// <summary>One tree as arrays: internal node i goes left when its feature is ≤ its threshold; a child below 0 is leaf ~child.</summary>
    private sealed record Tree(int[] Left, int[] Right, int[] Feature, float[] Threshold, double[] Leaves, double Weight)
    {
        public double Output(float[] values)
        {
            var node = Left.Length == 0 ? ~0 : 0; // a tree of one leaf has no split
            while (node >= 0) node = values[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
            return Leaves[~node] * Weight;
        }
    }

    private CompiledTrees(int[] selectedOf, int selectedCount, Tree[] trees, double bias, PlattCalibrator calibrator) =>
        (_selectedOf, _selectedCount, _trees, _bias, _calibrator) = (selectedOf, selectedCount, trees, bias, calibrator);

    /// <exception cref="InvalidOperationException">The trees split on categories.</exception>
    public static CompiledTrees Of(MLContext ml, ITransformer selection, int featureCount,
        CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> model)
    {
        var selectedOf = Enumerable.Repeat(-1, featureCount).ToArray();
        var picked = Picked(ml, selection, featureCount);
        for (var s = 0; s < picked.Length; s++) selectedOf[picked[s]] = s;

        var ensemble = model.SubModel.TrainedTreeEnsemble;
        var trees = ensemble.Trees.Select((tree, t) =>
        {
            if (tree.CategoricalSplitFlags.Any(c => c)) throw new InvalidOperationException("A tree splits on categories.");
            return new Tree([.. tree.LeftChild], [.. tree.RightChild], [.. tree.NumericalSplitFeatureIndexes],
                [.. tree.NumericalSplitThresholds], [.. tree.LeafValues], ensemble.TreeWeights[t]);
        }).ToArray();
        return new CompiledTrees(selectedOf, picked.Length, trees, ensemble.Bias, model.Calibrator);
    }

    /// <summary>
    /// Which slots of "Features" the selection keeps, in order: found by passing it one row whose every slot holds its own
    /// index (exact in a float up to 2^24). Slot names would not do: some character n-grams print alike.
    /// </summary>
    private static int[] Picked(MLContext ml, ITransformer selection, int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(SlotIndexes));
        schema[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        var row = new SlotIndexes { Features = [.. Enumerable.Range(0, featureCount).Select(i => (float)i)] };
        var selected = selection.Transform(ml.Data.LoadFromEnumerable([row], schema));
        using var cursor = selected.GetRowCursor([selected.Schema[SpamPipeline.SelectedFeatures]]);
        var getter = cursor.GetGetter<VBuffer<float>>(selected.Schema[SpamPipeline.SelectedFeatures]);
        VBuffer<float> values = default;
        if (!cursor.MoveNext()) throw new InvalidOperationException("The selection gave no row.");
        getter(ref values);
        return [.. values.DenseValues().Select(v => (int)v)];
    }

    private sealed class SlotIndexes
    {
        public float[] Features { get; set; } = [];
    }

    /// <summary>The trees' score and probability for the comment's features.</summary>
    public (float Score, float Probability) Predict(in VBuffer<float> features)
    {
        var values = ArrayPool<float>.Shared.Rent(_selectedCount);
        Array.Clear(values, 0, _selectedCount);
        var present = features.GetValues();
        var indices = features.GetIndices();
        for (var k = 0; k < present.Length; k++)
        {
            var slot = _selectedOf[features.IsDense ? k : indices[k]];
            if (slot >= 0) values[slot] = present[k];
        }
        var score = _bias;
        foreach (var tree in _trees) score += tree.Output(values);
        ArrayPool<float>.Shared.Return(values);
        return ((float)score, _calibrator.PredictProbability((float)score));
    }
}
