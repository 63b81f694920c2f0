using System.Text.Json.Nodes;

namespace Moderation.UnitTests.ServiceDefaults;

/// <summary>
/// The collector settings each service starts with (its runtimeconfig.json, copied next to the tests): without them
/// a machine that reports a large L3 cache gives generation 0 an 80 MB budget and each service passes 250 MB resident.
/// </summary>
public class GarbageCollectorSettingsTests
{
    public static TheoryData<string> Services => new() { "Moderation.Ingestion", "Moderation.Scoring", "Moderation.ReadApi" };

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_runs_workstation_gc_with_a_capped_generation_0_budget(string service)
    {
        var path = Path.Combine(AppContext.BaseDirectory, service + ".runtimeconfig.json");
        var settings = JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!["configProperties"]!;

        Assert.False((bool)settings["System.GC.Server"]!);
        Assert.Equal(16 * 1024 * 1024, (long)settings["System.GC.Gen0MaxBudget"]!);
    }
}
