using Moderation.Data;
using Npgsql;

namespace Moderation.UnitTests.Data;

public sealed class AutoPrepareTests
{
    [Theory]
    [InlineData("Host=db;Username=u;Password=p", 64)]
    [InlineData("Host=db;Username=u;Password=p;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Username=u;Password=p;MaxAutoPrepare=10", 10)]
    public void Statements_are_prepared_unless_the_connection_string_says_otherwise(string given, int expected)
    {
        var result = new NpgsqlConnectionStringBuilder(DataExtensions.WithAutoPrepare(given));

        Assert.Equal(expected, result.MaxAutoPrepare);
        Assert.Equal("db", result.Host);
        Assert.Equal("p", result.Password);
    }
}
