using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Moderation.IntegrationTests.Infrastructure;

/// <summary>One service of the distributed system, run from its own Program with its own settings.</summary>
public sealed class ServiceHost<TEntryPointMarker>(IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<TEntryPointMarker> where TEntryPointMarker : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}
