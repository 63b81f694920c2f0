namespace Moderation.Spam.Training;

/// <summary>Thrown when the labels cannot make (or check) a model: too few, or one class only; the message says what is missing.</summary>
public sealed class NotEnoughLabelsException(string message) : Exception(message);
