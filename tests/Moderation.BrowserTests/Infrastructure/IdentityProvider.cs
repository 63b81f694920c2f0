using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Moderation.BrowserTests.Infrastructure;

/// <summary>
/// A small OpenID provider on loopback, for the console's single sign-on: discovery document, signing key
/// (RSA, at jwks_uri), an /authorize that signs <see cref="NextUser"/> in at once and sends the browser back
/// with a code, and a /token that gives the code's access token only for the PKCE verifier of its challenge.
/// Its discovery and token answers allow any origin, as a provider set up for a browser client does.
/// </summary>
public sealed class IdentityProvider : IAsyncDisposable
{
    public const string ClientId = "moderation-console";
    public const string Audience = "moderation";

    public sealed record User(string Name, string[] Roles, string[] Sites);

    private sealed record Grant(string Challenge, string RedirectUri, User User);

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "browser-tests" };
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private readonly WebApplication _app;

    public IdentityProvider()
    {
        Port = CommentService.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.Use((http, next) =>
        {
            http.Response.Headers.AccessControlAllowOrigin = "*";
            return next(http);
        });
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Url,
            ["authorization_endpoint"] = Url + "/authorize",
            ["token_endpoint"] = Url + "/token",
            ["jwks_uri"] = Url + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        _app.MapGet("/jwks", () =>
        {
            var rsa = _key.Rsa.ExportParameters(includePrivateParameters: false);
            return Results.Json(new { keys = new[] { new
            {
                kty = "RSA", use = "sig", alg = "RS256", kid = _key.KeyId,
                n = Base64UrlEncoder.Encode(rsa.Modulus), e = Base64UrlEncoder.Encode(rsa.Exponent),
            } } });
        });
        _app.MapGet("/authorize", Authorize);
        _app.MapPost("/token", TokenAsync);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The only redirect URI registered for the console's client id (set once the console's URL is known).</summary>
    public string RedirectUri { get; set; } = "";

    /// <summary>Who the next sign-in is.</summary>
    public User NextUser { get; set; } = new("sam@news.example", ["moderator"], []);

    /// <summary>How long issued tokens last.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Why requests were refused, newest last; and how many tokens were issued.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();
    public int TokensIssued => _tokensIssued;
    private int _tokensIssued;

    public Task StartAsync() => _app.StartAsync();

    private IResult Authorize(HttpRequest request)
    {
        string Param(string name) => request.Query[name].ToString();
        var refusal = Param("response_type") != "code" ? "response_type must be code"
            : Param("client_id") != ClientId ? "unknown client_id"
            : Param("redirect_uri") != RedirectUri ? $"redirect_uri {Param("redirect_uri")} is not registered"
            : Param("code_challenge_method") != "S256" ? "code_challenge_method must be S256"
            : Param("code_challenge").Length != 43 ? "code_challenge must be a SHA-256 hash, base64url"
            : Param("state").Length == 0 ? "state is required"
            : null;
        // An error about the client or redirect URI is shown by the provider, never sent to an unverified address.
        if (refusal is not null) return Refuse(refusal, Results.BadRequest(refusal));
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new Grant(Param("code_challenge"), RedirectUri, NextUser);
        return Results.Redirect(QueryHelpers.AddQueryString(RedirectUri, new Dictionary<string, string?> { ["code"] = code, ["state"] = Param("state") }));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        string Param(string name) => form[name].ToString();
        if (Param("grant_type") != "authorization_code") return Refuse("grant_type must be authorization_code", InvalidGrant("unsupported grant_type"));
        if (!_codes.TryRemove(Param("code"), out var grant)) return Refuse("unknown or used code", InvalidGrant("unknown or used code"));
        if (Param("client_id") != ClientId || Param("redirect_uri") != grant.RedirectUri)
            return Refuse("client_id or redirect_uri differ from the authorization request", InvalidGrant("client_id or redirect_uri mismatch"));
        var verifier = Param("code_verifier");
        if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.Challenge)
            return Refuse("code_verifier does not match the code_challenge", InvalidGrant("PKCE verification failed"));
        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new { access_token = Token(grant.User), token_type = "Bearer", expires_in = (int)TokenLifetime.TotalSeconds });
    }

    private IResult Refuse(string why, IResult answer)
    {
        Refusals.Enqueue(why);
        return answer;
    }

    private static IResult InvalidGrant(string description) =>
        Results.Json(new { error = "invalid_grant", error_description = description }, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>An RS256 access token for the API's audience with the role and sites claims the API reads.</summary>
    public string Token(User user) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Url,
        Audience = Audience,
        Subject = new ClaimsIdentity([new Claim("sub", user.Name), new Claim("preferred_username", user.Name)]),
        Claims = new Dictionary<string, object> { ["roles"] = user.Roles, ["sites"] = user.Sites },
        Expires = DateTime.UtcNow.Add(TokenLifetime),
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
