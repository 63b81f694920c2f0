namespace Moderation.Spam.Training;

/// <summary>The learners compared for the spam model.</summary>
public enum SpamTrainer
{
    /// <summary>SDCA logistic regression: linear, probabilities by construction, fast, explains by weight × value.</summary>
    Sdca,
    /// <summary>L-BFGS logistic regression on the same features: the linear model fitted to convergence, with a firmer L2.</summary>
    LogisticRegression,
    /// <summary>LightGBM gradient-boosted trees over the most informative slots.</summary>
    LightGbm,
    /// <summary>
    /// Logistic regression and LightGBM on the same features, their probabilities averaged: the linear model generalises to
    /// unseen topics, the trees catch interactions; reasons come from the linear part (it names what is there).
    /// </summary>
    Ensemble,
    // FastTree was tried too and dropped: with one thread it never finished a fold (ML.NET 5.0.1).
}
