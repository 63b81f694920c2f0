using Moderation.Scoring.Scoring;

using Moderation.Spam;

namespace Moderation.Scoring.Serving;

/// <summary>Turns a stored model artifact into a scorer. Throws when the artifact cannot be served.</summary>
public interface IModelLoader
{
    /// <summary>The model shipped with the worker, served until one is promoted.</summary>
    ICommentScorer LoadDefault();

    ICommentScorer Load(string version, byte[] artifact);
}
