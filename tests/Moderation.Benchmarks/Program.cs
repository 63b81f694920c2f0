using Moderation.Benchmarks;

if (args is ["--bare-server", var port])
{
    BareServer.Run(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

// The moderation API's phase runs on its own (see ModerationBenchmark.cs).
if (args is ["moderation", .. var moderationArgs]) return await ModerationBenchmark.RunAsync(moderationArgs);
// The gateway's cost on a cached read (see GatewayBenchmark.cs).
if (args is ["gateway", ..]) return await GatewayBenchmark.RunAsync(args);
// The standalone host's footprint against a baseline build (see StandaloneBenchmark.cs).
if (args is ["standalone", ..]) return await StandaloneBenchmark.RunAsync(args);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

await using var benchmark = new Benchmark(options, args);
return await benchmark.RunAsync();
