using System.Globalization;

namespace Moderation.Benchmarks;

/// <summary>The sub-benchmarks' options: <c>--name value</c> pairs after the sub-command.</summary>
public static class CommandLine
{
    public static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public static double Number(string[] args, string name, double fallback) =>
        Option(args, name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Every <c>KEY=VALUE</c> after <paramref name="name"/>.</summary>
    public static Dictionary<string, string> Pairs(string[] args, string name) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == name && x.i + 1 < args.Length)
            .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
}
