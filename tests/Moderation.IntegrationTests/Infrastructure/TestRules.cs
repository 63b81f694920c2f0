using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moderation.Data;
using Moderation.Scoring.Rules;

namespace Moderation.IntegrationTests.Infrastructure;

/// <summary>The worker's rules on a database, with the default options and the in-memory rule state.</summary>
public static class TestRules
{
    public static RuleEngine On(ModerationDb db)
    {
        var options = Options.Create(new RuleOptions());
        return new RuleEngine(db, new MemoryRuleState(options), options, NullLogger<RuleEngine>.Instance);
    }
}
