using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Moderation.BrowserTests.Infrastructure;
using Moderation.Data.Comments;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>
/// Signing in to the console with single sign-on: the authorization code flow with PKCE against
/// <see cref="IdentityProvider"/>, a real provider on loopback whose tokens the API validates as it would any.
/// </summary>
[Collection(WidgetCollection.Name)]
public sealed class ConsoleSsoTests(WidgetSystem system)
{
    private CommentService Service => system.Service;
    private IdentityProvider Identity => system.Identity;

    [Fact]
    public async Task The_config_names_the_provider_and_client_and_nothing_secret()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(Service.Url + "/console/config.json");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var sso = (await response.Content.ReadFromJsonAsync<JsonObject>())!["sso"]!.AsObject();
        Assert.Equal(Identity.Url, (string?)sso["authority"]);
        Assert.Equal(IdentityProvider.ClientId, (string?)sso["clientId"]);
        Assert.Equal("openid profile email", (string?)sso["scopes"]);
        Assert.Equal(["authority", "clientId", "scopes"], sso.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task A_moderator_signs_in_with_SSO_and_decides_a_held_comment_with_the_token()
    {
        var thread = WidgetSystem.NewThread("sso");
        var id = await Service.HoldAsync(thread, "Noor Haddad", "Will the night ferry run at Christmas");
        Identity.NextUser = new("sam@news.example", ["moderator"], [CommentService.SiteId]);
        var issued = Identity.TokensIssued;

        var console = await ConsolePage.OpenAsync(system);
        var authorize = new List<Uri>();
        console.Page.Request += (_, request) => { if (request.Url.StartsWith(Identity.Url + "/authorize")) authorize.Add(new Uri(request.Url)); };
        await Expect(console.SsoButton).ToBeVisibleAsync();
        await Artifacts.ScreenshotAsync(console.Page.Locator("body"), "console-login-sso");

        await console.SsoButton.ClickAsync();
        await Expect(console.Header).ToBeVisibleAsync();
        await Expect(console.Page.Locator("#who")).ToContainTextAsync("sam@news.example");
        await Expect(console.Page.Locator("#who")).ToContainTextAsync("moderator");
        await Expect(console.Nav("Keys")).ToHaveCountAsync(0);

        // One authorization request with an S256 challenge, one token issued for its verifier, and the code gone from the address.
        var query = System.Web.HttpUtility.ParseQueryString(Assert.Single(authorize).Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(Service.Url + "/console/", query["redirect_uri"]);
        Assert.Equal(issued + 1, Identity.TokensIssued);
        Assert.Equal(Service.Url + "/console/", console.Page.Url);
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('moderation.apiKey')"));
        Assert.Contains("accessToken", await console.Page.EvaluateAsync<string>("() => sessionStorage.getItem('moderation.ssoToken')"));

        await console.Page.GetByLabel("Thread", new() { Exact = true }).FillAsync(thread);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(console.Items).ToHaveCountAsync(1);
        await Expect(console.Current).ToContainTextAsync("night ferry");
        await Artifacts.ScreenshotAsync(console.Page.Locator("body"), "console-sso");
        await console.Page.Keyboard.PressAsync("a");
        await Expect(console.Items).ToHaveCountAsync(0);
        await Service.WaitForStatusAsync(id, CommentStatus.Approved);
        Assert.Equal("sam@news.example", await Service.WithDbAsync(db => db.Comments.Where(c => c.Id == id).Select(c => c.DecidedBy).SingleAsync()));

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(console.SsoButton).ToBeVisibleAsync();
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('moderation.ssoToken')"));
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task An_answer_with_another_state_is_refused_before_any_code_exchange()
    {
        var console = await ConsolePage.OpenAsync(system);
        var tokenRequests = 0;
        console.Page.Request += (_, request) => { if (request.Url == Identity.Url + "/token") tokenRequests++; };
        // Someone else's answer: the provider's redirect arrives with a state this tab never sent.
        await console.Page.RouteAsync(Identity.Url + "/authorize?**", route =>
            route.ContinueAsync(new() { Url = System.Text.RegularExpressions.Regex.Replace(route.Request.Url, "state=[^&]+", "state=forged") }));

        await console.SsoButton.ClickAsync();
        await Expect(console.LoginStatus).ToContainTextAsync("Sign-in refused");
        await Expect(console.Header).ToBeHiddenAsync();
        Assert.Equal(0, tokenRequests);
        Assert.DoesNotContain("code=", console.Page.Url);
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('moderation.ssoToken')"));
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task A_code_exchanged_with_another_PKCE_verifier_gets_no_token()
    {
        var console = await ConsolePage.OpenAsync(system);
        console.ExpectedStatuses.Add(400);
        var issued = Identity.TokensIssued;
        // A stolen code, redeemed with a verifier of the thief's own.
        await console.Page.RouteAsync(Identity.Url + "/token", route => route.ContinueAsync(new()
        {
            PostData = System.Text.Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(
                route.Request.PostData!, "code_verifier=[^&]+", "code_verifier=" + new string('x', 43))),
        }));

        await console.SsoButton.ClickAsync();
        await Expect(console.LoginStatus).ToContainTextAsync("PKCE verification failed");
        await Expect(console.Header).ToBeHiddenAsync();
        Assert.Equal(issued, Identity.TokensIssued);
        Assert.Contains("code_verifier does not match the code_challenge", Identity.Refusals);
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task An_expired_refused_or_roleless_token_returns_to_the_sign_in_screen()
    {
        Identity.NextUser = new("ada@news.example", ["admin"], []);
        var console = await ConsolePage.OpenAsync(system);
        await console.SsoButton.ClickAsync();
        await Expect(console.Page.Locator("#who")).ToContainTextAsync("admin");
        await Expect(console.Tab("held").Locator(".count")).Not.ToHaveTextAsync("…");

        // Expired on the clock (the tab was left for the night): the console does not even send it. The next call —
        // the queue's 5 s poll or the move to Audit, whichever comes first — signs out with the same message.
        await console.Page.EvaluateAsync("""
            () => { const t = JSON.parse(sessionStorage.getItem('moderation.ssoToken')); t.expiresAt = Date.now() - 1000;
                    sessionStorage.setItem('moderation.ssoToken', JSON.stringify(t)); location.hash = '#/audit'; }
            """);
        await Expect(console.LoginStatus).ToContainTextAsync("expired");
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('moderation.ssoToken')"));

        // Refused by the API (here: not signed by the provider): 401, back to sign-in.
        await console.Page.EvaluateAsync("() => { location.hash = '#/queue'; }"); // sign-in comes back to the queue
        await console.SsoButton.ClickAsync();
        await Expect(console.Header).ToBeVisibleAsync();
        await Expect(console.Tab("held").Locator(".count")).Not.ToHaveTextAsync("…");
        await console.Page.EvaluateAsync("""
            () => { const t = JSON.parse(sessionStorage.getItem('moderation.ssoToken')); t.accessToken = t.accessToken.slice(0, -8) + 'AAAAAAAA';
                    sessionStorage.setItem('moderation.ssoToken', JSON.stringify(t)); location.hash = '#/keys'; }
            """);
        await Expect(console.LoginStatus).ToContainTextAsync("not accepted");
        await Expect(console.Header).ToBeHiddenAsync();

        // A valid token of someone who is neither moderator nor admin (403) does not enter either.
        console.ExpectedStatuses.Add(403);
        Identity.NextUser = new("reader@news.example", ["readers"], []);
        await console.SsoButton.ClickAsync();
        await Expect(console.LoginStatus).ToContainTextAsync("not as a moderator or admin");
        await Expect(console.Header).ToBeHiddenAsync();
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('moderation.ssoToken')"));
        await console.AssertCleanAsync();
    }
}
