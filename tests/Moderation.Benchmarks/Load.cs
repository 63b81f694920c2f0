using System.Diagnostics;

namespace Moderation.Benchmarks;

/// <summary>What one closed-loop measurement saw: completed operations in the window and their latencies.</summary>
public sealed record LoadResult(string Name, int Concurrency, double Seconds, long Ok, long Errors, double PerSecond, double P50Ms, double P99Ms, string? FirstError,
    double CpuMsPerOp = double.NaN, double MachineMsPerOp = double.NaN, double MachineBusyCores = double.NaN)
{
    public override string ToString() =>
        $"{Name}: {PerSecond:N0}/s, p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms ({Ok:N0} ok, {Errors:N0} errors, {Concurrency} loops, {Seconds:0.#} s" +
        (double.IsNaN(CpuMsPerOp) ? "" : $"; server CPU {CpuMsPerOp:0.000} ms per operation") +
        (double.IsNaN(MachineBusyCores) ? ")" : $"; machine {MachineBusyCores:0.00} cores busy, {MachineMsPerOp:0.000} ms per operation)");
}

/// <summary>
/// Bounded closed-loop load: <c>concurrency</c> loops, each starting its next operation as soon as the last
/// finished, for a warm-up and then a measured window. Only operations that start and end inside the
/// window count. Prints a line per second with the running rate.
/// </summary>
public static class ClosedLoop
{
    /// <param name="cpuSeconds">The serving process's CPU time so far, when it is a process of ours: then the
    /// result carries its CPU per operation over the measured window, a figure other load on the machine disturbs less.</param>
    public static async Task<LoadResult> RunAsync(string name, int concurrency, TimeSpan warmup, TimeSpan duration,
        Func<int, Task> operation, Func<double>? cpuSeconds = null)
    {
        var latencies = new List<long>[concurrency];
        var errors = new long[concurrency];
        var completed = 0L;
        string? firstError = null;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task Loop(int worker)
        {
            var mine = latencies[worker] = new List<long>(4096);
            await Task.Yield();
            while (true)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= measureTo) return;
                try
                {
                    await operation(worker);
                    var t1 = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref completed);
                    if (t0 >= measureFrom && t1 <= measureTo) mine.Add(t1 - t0);
                }
                catch (Exception ex)
                {
                    if (t0 >= measureFrom) errors[worker]++;
                    Interlocked.CompareExchange(ref firstError, $"{ex.GetType().Name}: {ex.Message}", null);
                    await Task.Delay(10);
                }
            }
        }

        // Over the measured window: the serving process's CPU per operation, and the whole machine's (every process,
        // the load generator included) with how many cores it kept busy.
        async Task<(double Process, double Machine, double BusyCores)> CpuPerOperationAsync()
        {
            await Task.Delay(warmup);
            var (cpu0, machine0, ops0, t0) = (cpuSeconds?.Invoke() ?? double.NaN, ProcessCpu.MachineSeconds(), Interlocked.Read(ref completed), Stopwatch.GetTimestamp());
            await Task.Delay(duration);
            var (cpu1, machine1, ops1) = (cpuSeconds?.Invoke() ?? double.NaN, ProcessCpu.MachineSeconds(), Interlocked.Read(ref completed));
            var ops = ops1 - ops0;
            if (ops <= 0) return (double.NaN, double.NaN, double.NaN);
            return ((cpu1 - cpu0) * 1000 / ops, (machine1 - machine0) * 1000 / ops, (machine1 - machine0) / Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        using var progress = new CancellationTokenSource();
        var printer = Progress.EverySecondAsync(name, () => Interlocked.Read(ref completed), warmup, progress.Token);
        var cpu = CpuPerOperationAsync();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Task.Run(() => Loop(i))));
        progress.Cancel();
        await printer;

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        var ok = all.LongLength;
        var (cpuMs, machineMs, busyCores) = await cpu;
        var result = new LoadResult(name, concurrency, duration.TotalSeconds, ok, errors.Sum(),
            ok / duration.TotalSeconds, Stats.PercentileMs(all, 0.50), Stats.PercentileMs(all, 0.99), firstError, cpuMs, machineMs, busyCores);
        Console.WriteLine($"  => {result}");
        if (result.Errors > 0) Console.WriteLine($"     first error: {firstError}");
        return result;
    }
}

public static class Progress
{
    /// <summary>One line per second: the rate over the last second and the running total.</summary>
    public static async Task EverySecondAsync(string name, Func<long> count, TimeSpan warmup, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var last = count();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var now = count();
                var t = started.Elapsed;
                var tag = t < warmup ? " (warm-up)" : "";
                Console.WriteLine($"  [{name}] {t.TotalSeconds,4:0}s  {now - last,8:N0}/s  total {now:N0}{tag}");
                last = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

public static class Stats
{
    public static double PercentileMs(long[] sortedTicks, double p)
    {
        if (sortedTicks.Length == 0) return double.NaN;
        var index = (int)Math.Clamp(Math.Ceiling(p * sortedTicks.Length) - 1, 0, sortedTicks.Length - 1);
        return sortedTicks[index] * 1000.0 / Stopwatch.Frequency;
    }

    public static double PercentileMs(List<double> valuesMs, double p)
    {
        if (valuesMs.Count == 0) return double.NaN;
        var sorted = valuesMs.Order().ToArray();
        var index = (int)Math.Clamp(Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index];
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Least-squares slope of y over x.</summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2) return 0;
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var num = points.Sum(p => (p.X - mx) * (p.Y - my));
        var den = points.Sum(p => (p.X - mx) * (p.X - mx));
        return den == 0 ? 0 : num / den;
    }
}
