using System.Diagnostics;

namespace Moderation.Cli.Commands;

/// <summary>Progress lines with the time since start, written at once (not posted like <see cref="Progress{T}"/>).</summary>
internal sealed class ConsoleProgress(TextWriter writer) : IProgress<string>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();

    public void Report(string value)
    {
        lock (_gate) writer.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {value}");
    }
}
