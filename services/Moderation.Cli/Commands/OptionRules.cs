using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Moderation.Cli.Commands;

/// <summary>
/// Range checks on option values, so a value out of range is a parse error (exit code 2), not a failure deep inside a
/// command. They read the value given (a value that is not a number at all is the parser's own error).
/// </summary>
internal static class OptionRules
{
    public static Option<int> AtLeast(this Option<int> option, int minimum) => option.Check(
        v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n < minimum, $"must be at least {minimum}");

    public static Option<int?> AtLeast(this Option<int?> option, int minimum) => option.Check(
        v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n < minimum, $"must be at least {minimum}");

    public static Option<double> Probability(this Option<double> option) => option.Check(
        v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && !(p is >= 0 and <= 1), "must be between 0 and 1");

    private static T Check<T>(this T option, Func<string, bool> outOfRange, string rule) where T : Option
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.LastOrDefault()?.Value is { } given && outOfRange(given))
                result.AddError($"{option.Name} {rule}, not {given}.");
        });
        return option;
    }
}
