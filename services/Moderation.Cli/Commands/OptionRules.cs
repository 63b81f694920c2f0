using System.CommandLine;
using System.Globalization;

namespace Moderation.Cli.Commands;

/// <summary>Range checks on option values, so a value out of range is a parse error (exit code 2), not a failure deep inside a command.</summary>
internal static class OptionRules
{
    public static Option<int> AtLeast(this Option<int> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < minimum) result.AddError($"{option.Name} must be at least {minimum}.");
        });
        return option;
    }

    public static Option<int?> AtLeast(this Option<int?> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() < minimum) result.AddError($"{option.Name} must be at least {minimum}.");
        });
        return option;
    }

    public static Option<double> Probability(this Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var p && (double.IsNaN(p) || p < 0 || p > 1))
                result.AddError($"{option.Name} must be between 0 and 1, not {p.ToString(CultureInfo.InvariantCulture)}.");
        });
        return option;
    }
}
