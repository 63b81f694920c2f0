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
    private readonly int[] _picked;
    private readonly Platt _calibrator;

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

    /// <param name="picked">The slots of "Features" the selection keeps, in order.</param>
    private CompiledTrees(int featureCount, int[] picked, Tree[] trees, double bias, Platt calibrator)
    {
        _selectedOf = Enumerable.Repeat(-1, featureCount).ToArray();
        for (var s = 0; s < picked.Length; s++) _selectedOf[picked[s]] = s;
        (_picked, _selectedCount, _trees, _bias, _calibrator) = (picked, picked.Length, trees, bias, calibrator);
        foreach (var tree in trees)
            if (tree.Feature.Any(f => f < 0 || f >= picked.Length)) throw new InvalidOperationException("A tree splits on a slot the selection does not keep.");
    }

    /// <exception cref="InvalidOperationException">The trees split on categories.</exception>
    public static CompiledTrees Of(MLContext ml, ITransformer selection, int featureCount,
        CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> model)
    {
        var picked = Picked(ml, selection, featureCount);
        var ensemble = model.SubModel.TrainedTreeEnsemble;
        var trees = ensemble.Trees.Select((tree, t) =>
        {
            if (tree.CategoricalSplitFlags.Any(c => c)) throw new InvalidOperationException("A tree splits on categories.");
            return new Tree([.. tree.LeftChild], [.. tree.RightChild], [.. tree.NumericalSplitFeatureIndexes],
                [.. tree.NumericalSplitThresholds], [.. tree.LeafValues], ensemble.TreeWeights[t]);
        }).ToArray();
        return new CompiledTrees(featureCount, picked, trees, ensemble.Bias, Platt.Of(model.Calibrator));
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(_selectedOf.Length);
        writer.WriteArray<int>(_picked);
        writer.Write(_trees.Length);
        foreach (var tree in _trees)
        {
            writer.WriteArray<int>(tree.Left);
            writer.WriteArray<int>(tree.Right);
            writer.WriteArray<int>(tree.Feature);
            writer.WriteArray<float>(tree.Threshold);
            writer.WriteArray<double>(tree.Leaves);
            writer.Write(tree.Weight);
        }
        writer.Write(_bias);
        _calibrator.Write(writer);
    }

    public static CompiledTrees Read(BinaryReader reader)
    {
        var featureCount = reader.ReadInt32();
        var picked = reader.ReadArray<int>();
        if (picked.Any(p => p < 0 || p >= featureCount)) throw new InvalidDataException("The selection keeps a slot the features lack.");
        var trees = new Tree[reader.ReadCount(5 * sizeof(int))];
        for (var t = 0; t < trees.Length; t++)
        {
            var tree = new Tree(reader.ReadArray<int>(), reader.ReadArray<int>(), reader.ReadArray<int>(), reader.ReadArray<float>(),
                reader.ReadArray<double>(), reader.ReadDouble());
            int nodes = tree.Left.Length, leaves = tree.Leaves.Length;
            if (tree.Right.Length != nodes || tree.Feature.Length != nodes || tree.Threshold.Length != nodes || leaves != nodes + 1
                || Enumerable.Range(0, nodes).Any(n => !Child(tree.Left[n], n) || !Child(tree.Right[n], n)))
                throw new InvalidDataException($"Tree {t} is not a tree.");
            trees[t] = tree;

            // A node's children come after it (as LightGBM numbers them), so a walk from the root always ends at a leaf.
            bool Child(int child, int parent) => child >= 0 ? child > parent && child < nodes : ~child < leaves;
        }
        return new CompiledTrees(featureCount, picked, trees, reader.ReadDouble(), Platt.Read(reader));
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
        return ((float)score, _calibrator.Probability((float)score));
    }
}

/// <summary>Platt scaling of a score to a probability, as ML.NET's <see cref="PlattCalibrator"/> computes it.</summary>
internal readonly record struct Platt(double Slope, double Offset)
{
    public static Platt Of(PlattCalibrator calibrator) => new(calibrator.Slope, calibrator.Offset);

    public float Probability(float score) => float.IsNaN(score) ? score : (float)(1 / (1 + Math.Exp(Slope * score + Offset)));

    public void Write(BinaryWriter writer)
    {
        writer.Write(Slope);
        writer.Write(Offset);
    }

    public static Platt Read(BinaryReader reader) => new(reader.ReadDouble(), reader.ReadDouble());
}
