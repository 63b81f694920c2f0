namespace Moderation.Scoring.Model.Training;

/// <summary>The learners compared for the spam model.</summary>
public enum SpamTrainer
{
    /// <summary>SDCA logistic regression: linear, probabilities by construction, fast, explains by weight × value.</summary>
    Sdca,
    /// <summary>LightGBM gradient-boosted trees over the same features.</summary>
    LightGbm,
    /// <summary>FastTree boosted trees, Platt-calibrated.</summary>
    FastTree,
}
