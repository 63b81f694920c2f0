using Microsoft.ML.Data;

namespace Moderation.Scoring.Model;

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
}
