using Microsoft.Extensions.Options;
using Moderation.Ingestion;
using Moderation.Ingestion.Submissions;

namespace Moderation.UnitTests.Ingestion;

public class StatusTokensTests
{
    private static StatusTokens Tokens(string secret = "unit-test-secret-unit-test-secret-0123") =>
        new(Options.Create(new IngestionOptions { StatusTokenSecret = secret }));

    [Fact]
    public void Token_issued_for_a_comment_is_valid_for_it()
    {
        var tokens = Tokens();
        var id = Guid.NewGuid();

        Assert.True(tokens.IsValid(id, tokens.For(id)));
    }

    [Fact]
    public void Token_is_url_safe_and_the_same_every_time()
    {
        var tokens = Tokens();
        var id = Guid.NewGuid();

        var token = tokens.For(id);

        Assert.Equal(token, tokens.For(id));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", token);
    }

    [Fact]
    public void Token_of_another_comment_is_refused()
    {
        var tokens = Tokens();

        Assert.False(tokens.IsValid(Guid.NewGuid(), tokens.For(Guid.NewGuid())));
    }

    [Fact]
    public void Token_signed_with_another_secret_is_refused()
    {
        var id = Guid.NewGuid();
        var forged = Tokens("some-other-secret-some-other-secret-99").For(id);

        Assert.False(Tokens().IsValid(id, forged));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    public void Missing_or_invented_token_is_refused(string? token) =>
        Assert.False(Tokens().IsValid(Guid.NewGuid(), token));

    [Fact]
    public void Token_with_one_character_changed_is_refused()
    {
        var tokens = Tokens();
        var id = Guid.NewGuid();
        var token = tokens.For(id);
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];

        Assert.False(tokens.IsValid(id, tampered));
        Assert.False(tokens.IsValid(id, token + "A"));
    }
}
