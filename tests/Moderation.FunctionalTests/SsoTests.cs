using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Moderation.FunctionalTests.Infrastructure;

namespace Moderation.FunctionalTests;

/// <summary>
/// Single sign-on: bearer tokens from the newsroom's identity provider, validated by the real JWT handler.
/// The provider is simulated only in where its signing key comes from (given here instead of fetched
/// from its metadata address).
/// </summary>
public sealed class SsoTests(SsoTests.SsoApp app) : IClassFixture<SsoTests.SsoApp>
{
    private const string Issuer = "https://login.news.example/realms/newsroom";
    private const string Audience = "moderation";

    public sealed class SsoApp : StandaloneApp
    {
        public static readonly SymmetricSecurityKey ProviderKey = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Auth:Oidc:Authority", Issuer);
            builder.UseSetting("Auth:Oidc:Audience", Audience);
            builder.UseSetting("Auth:Oidc:RoleClaim", "groups");
            builder.UseSetting("Auth:Oidc:AdminRole", "comments-admins");
            builder.UseSetting("Auth:Oidc:ModeratorRole", "comments-desk");
            builder.UseSetting("Auth:Oidc:ClientId", "moderation-console");
            builder.UseSetting("Auth:Oidc:Scopes", "openid email api://moderation/staff");
            builder.ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
            {
                var provider = new OpenIdConnectConfiguration { Issuer = Issuer };
                provider.SigningKeys.Add(ProviderKey);
                jwt.Configuration = provider;
                jwt.ConfigurationManager = new Microsoft.IdentityModel.Protocols.StaticConfigurationManager<OpenIdConnectConfiguration>(provider);
            }));
        }
    }

    [Fact]
    public async Task Moderator_token_is_a_moderator_of_its_sites()
    {
        var me = await GetMeAsync(Token(SsoApp.ProviderKey, groups: ["comments-desk"], sites: [StandaloneApp.Site]));

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = (await me.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("sam@news.example", (string?)body["name"]);
        Assert.Equal("moderator", (string?)body["role"]);
        Assert.Equal(StandaloneApp.Site, (string?)body["sites"]![0]);
    }

    [Fact]
    public async Task Admin_token_reaches_admin_endpoints_and_moderator_token_does_not()
    {
        var admin = Client(Token(SsoApp.ProviderKey, ["comments-admins"], []));
        var moderator = Client(Token(SsoApp.ProviderKey, ["comments-desk"], []));

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.GetAsync("/api/v1/admin/keys")).StatusCode);
    }

    [Fact]
    public async Task Token_without_a_staff_role_is_403()
    {
        var response = await GetMeAsync(Token(SsoApp.ProviderKey, ["readers"], []));

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Token_signed_by_someone_else_or_for_another_audience_is_401()
    {
        var forged = Token(new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ["comments-admins"], []);
        var otherAudience = Token(SsoApp.ProviderKey, ["comments-admins"], [], audience: "another-app");

        await Problems.AssertProblemAsync(await GetMeAsync(forged), HttpStatusCode.Unauthorized);
        await Problems.AssertProblemAsync(await GetMeAsync(otherAudience), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_console_is_told_the_provider_and_client_anonymously_and_may_reach_only_that_origin_besides_its_own()
    {
        var anonymous = app.CreateClient();
        var config = (await anonymous.GetFromJsonAsync<JsonObject>("/console/config.json"))!;
        var page = await anonymous.GetAsync("/console/");

        Assert.Equal(
            """{"sso":{"authority":"https://login.news.example/realms/newsroom","clientId":"moderation-console","scopes":"openid email api://moderation/staff"}}""",
            config.ToJsonString());
        Assert.Contains("connect-src 'self' https://login.news.example;", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Api_keys_still_work_beside_SSO()
    {
        var me = await app.StaffClient().GetAsync("/api/v1/moderation/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    private Task<HttpResponseMessage> GetMeAsync(string token) => Client(token).GetAsync("/api/v1/moderation/me");

    private HttpClient Client(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Token(SecurityKey providerKey, string[] groups, string[] sites, string audience = Audience)
    {
        var claims = new List<Claim> { new("sub", "u-123"), new("preferred_username", "sam@news.example") };
        claims.AddRange(groups.Select(g => new Claim("groups", g)));
        claims.AddRange(sites.Select(s => new Claim("sites", s)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(providerKey, SecurityAlgorithms.HmacSha256),
        });
    }
}
