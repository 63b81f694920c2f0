namespace Moderation.Scoring.Model.Training;

/// <summary>The learners compared for the spam model.</summary>
public enum SpamTrainer
{
    /// <summary>SDCA logistic regression: linear, probabilities by construction, fast, explains by weight × value.</summary>
    Sdca,
    /// <summary>LightGBM gradient-boosted trees over the most informative slots.</summary>
    LightGbm,
    // FastTree was tried too and dropped: with one thread it never finished a fold (ML.NET 5.0.1).
}
