using Microsoft.ML;
using Microsoft.ML.Data;

namespace Moderation.Spam;

/// <summary>
/// The row ML.NET sees: text prepared for the n-gram transforms plus metadata computed in C#
/// (<see cref="CommentFeatures"/>). Kept out of the contracts on purpose: it changes with the model.
/// </summary>
public sealed class ModelRow
{
    /// <summary>Lower-cased body, links replaced by their host, punctuation split off words.</summary>
    public string Words { get; set; } = "";

    /// <summary>Lower-cased body with digits folded to '0', for character n-grams.</summary>
    public string Chars { get; set; } = "";

    public string AuthorUrlDomain { get; set; } = "";
    public string AuthorUrlTld { get; set; } = "";
    public string EmailDomain { get; set; } = "";
    public string ElapsedBucket { get; set; } = "";

    [VectorType(CommentFeatures.MetaCount)]
    public float[] Meta { get; set; } = new float[CommentFeatures.MetaCount];

    public bool Label { get; set; }
}

/// <summary>What the pipeline produces for one row.</summary>
public sealed class ModelPrediction
{
    public float Probability { get; set; }
    public float Score { get; set; }

    /// <summary>The few largest contributions (positive and negative) to the score, indexed like the features.</summary>
    public VBuffer<float> FeatureContributions { get; set; }

    /// <summary>The features, read instead of the contributions when the model is explained by <see cref="LinearContributions"/>.</summary>
    public VBuffer<float> Features { get; set; }

    /// <summary>What is read of a prediction: the features (for <see cref="LinearContributions"/>) or the calculator's contributions, not both.</summary>
    public static SchemaDefinition Schema(bool readFeatures)
    {
        var schema = SchemaDefinition.Create(typeof(ModelPrediction));
        schema.Remove(schema[readFeatures ? nameof(FeatureContributions) : nameof(Features)]);
        return schema;
    }
}

/// <summary>Loads <see cref="ModelRow"/>s with names on the metadata slots, so reasons can say "links" and feature selection keeps track of them.</summary>
public static class ModelRows
{
    public static readonly SchemaDefinition Schema = CreateSchema();

    public static IDataView Load(MLContext ml, IEnumerable<ModelRow> rows) => ml.Data.LoadFromEnumerable(rows, Schema);

    private static SchemaDefinition CreateSchema()
    {
        var schema = SchemaDefinition.Create(typeof(ModelRow));
        var names = new VBuffer<ReadOnlyMemory<char>>(CommentFeatures.MetaCount, [.. CommentFeatures.MetaNames.Select(n => n.AsMemory())]);
        schema[nameof(ModelRow.Meta)].AddAnnotation("SlotNames", names,
            new VectorDataViewType(TextDataViewType.Instance, CommentFeatures.MetaCount));
        return schema;
    }
}
