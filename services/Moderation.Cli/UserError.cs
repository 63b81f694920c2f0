namespace Moderation.Cli;

/// <summary>
/// Something the person running the command can put right (a path, a value, a database to create): its message is the
/// one line they see, with exit code 2 and no stack trace (<see cref="CliApp.RunAsync"/>).
/// </summary>
public sealed class UserError(string message, Exception? inner = null) : Exception(message, inner);
