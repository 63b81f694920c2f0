using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Moderation.FunctionalTests.Infrastructure;

/// <summary>The host's log events, captured through a sink registered as a service (the host's Serilog reads sinks from them).</summary>
public sealed class CapturedEvents : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>The events so far that match <paramref name="predicate"/>.</summary>
    public IReadOnlyList<LogEvent> Where(Func<LogEvent, bool> predicate) => [.. _events.Where(predicate)];

    /// <summary>The request lines so far, once one matching <paramref name="awaited"/> is among them (a line follows its response).</summary>
    public async Task<IReadOnlyList<LogEvent>> RequestLinesAsync(Func<LogEvent, bool> awaited)
    {
        for (var waited = 0; ; waited += 50)
        {
            var lines = Where(e => e.Properties.ContainsKey("StatusCode") && e.Properties.ContainsKey("RequestPath"));
            if (lines.Any(awaited) || waited > 5000) return lines;
            await Task.Delay(50);
        }
    }
}
