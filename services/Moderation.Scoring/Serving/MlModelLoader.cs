using Moderation.Spam;
using Moderation.Scoring.Scoring;

namespace Moderation.Scoring.Serving;

/// <summary>
/// Promoted versions and the default are ML.NET spam models (<see cref="SpamModel"/>). The default is the model
/// embedded in this build, trained from the seed corpus (its version starts "default-ml-"); only if that fails to
/// load does the worker fall back to the <see cref="HeuristicScorer"/>, so it keeps deciding either way.
/// </summary>
public sealed partial class MlModelLoader(ILogger<MlModelLoader> logger) : IModelLoader
{
    private readonly Func<SpamModel> _loadDefault = SpamModel.LoadDefault;

    /// <summary>For tests: a default that fails to load, or another one.</summary>
    internal MlModelLoader(ILogger<MlModelLoader> logger, Func<SpamModel> loadDefault) : this(logger) => _loadDefault = loadDefault;

    // Loaded once: a roll-back to the default should not pay the load again. Not Lazy<T>, which would cache a failure too.
    private MlScorer? _default;
    private readonly Lock _loading = new();

    public ICommentScorer LoadDefault()
    {
        lock (_loading)
        {
            try
            {
                return _default ??= new MlScorer(_loadDefault());
            }
            catch (SpamModelLoadException ex)
            {
                LogDefaultFailed(logger, ex, HeuristicScorer.Version);
                return new HeuristicScorer();
            }
        }
    }

    public ICommentScorer Load(string version, byte[] artifact)
    {
        using var stream = new MemoryStream(artifact, writable: false);
        return new MlScorer(SpamModel.Load(stream));
    }

    [LoggerMessage(LogLevel.Error, "The built-in spam model failed to load; scoring with {Fallback} instead")]
    private static partial void LogDefaultFailed(ILogger logger, Exception exception, string fallback);
}
