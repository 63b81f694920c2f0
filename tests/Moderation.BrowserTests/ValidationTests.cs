using Moderation.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>Mistakes are caught next to their field before anything is sent; the server's answers land there too.</summary>
[Collection(WidgetCollection.Name)]
public sealed class ValidationTests(WidgetSystem system)
{
    [Theory]
    [InlineData("", "ada@example.org", "authorName", "Name is required.")]
    [InlineData("Ada", "", "authorEmail", "Email is required.")]
    [InlineData("Ada", "ada@example", "authorEmail", "Email is not a valid email address.")]
    [InlineData("Ada", "ada at example.org", "authorEmail", "Email is not a valid email address.")]
    public async Task A_mistake_shows_next_to_its_field_takes_the_focus_and_sends_nothing(string name, string email, string field, string message)
    {
        var reader = await system.OpenAsync(system.News.Article(WidgetSystem.NewThread("invalid")));
        await reader.FillAsync(name, email, body: "A perfectly good comment.");
        await reader.PostButton.ClickAsync();

        await Expect(reader.Error(field)).ToHaveTextAsync(message);
        await Expect(reader.Field(field)).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(reader.Field(field)).ToHaveAttributeAsync("aria-describedby", new System.Text.RegularExpressions.Regex($"\\bmw-{field}-err\\b"));
        await Expect(reader.Field(field)).ToBeFocusedAsync();
        await Expect(reader.FormStatus).ToHaveTextAsync("Please correct the marked fields.");
        await Expect(reader.Field("body")).ToHaveValueAsync("A perfectly good comment.");
        Assert.Empty(reader.Submissions);
    }

    [Fact]
    public async Task A_website_with_a_user_name_is_refused_in_the_page_as_the_server_refuses_it()
    {
        var reader = await system.OpenAsync(system.News.Article(WidgetSystem.NewThread("userinfo")));
        await reader.FillAsync("Ada", "ada@example.org", "https://paypal.com@evil.example/", "Hello from the river path.");
        await reader.PostButton.ClickAsync();

        await Expect(reader.Error("authorUrl")).ToHaveTextAsync("Website may not contain a user name or password (the part before @).");
        Assert.Empty(reader.Submissions);
    }

    [Fact]
    public async Task Every_rule_of_the_server_is_checked_in_the_page_first()
    {
        var reader = await system.OpenAsync(system.News.Article(WidgetSystem.NewThread("rules")));
        await reader.FillAsync(new string('n', 101), "ada@example.org", "ftp://files.example.org", "   ");
        await reader.PostButton.ClickAsync();

        await Expect(reader.Error("authorName")).ToHaveTextAsync("Name must be at most 100 characters (it has 101).");
        await Expect(reader.Error("authorEmail")).ToBeEmptyAsync();
        await Expect(reader.Error("authorUrl")).ToHaveTextAsync("Website must be an http:// or https:// address.");
        await Expect(reader.Error("body")).ToHaveTextAsync("Comment is required.");
        await Expect(reader.Field("authorName")).ToBeFocusedAsync();
        Assert.Empty(reader.Submissions);

        // Corrected, the errors go away.
        await reader.FillAsync("Ada", website: "", body: "Now it is fine.");
        await reader.PostAsync();
        await Expect(reader.Error("authorName")).ToBeEmptyAsync();
        await Expect(reader.Field("authorName")).Not.ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task The_form_with_errors_looks_right()
    {
        var reader = await system.OpenAsync(system.News.Article(WidgetSystem.NewThread("errors")));
        await reader.FillAsync("", "ada@example", "https://ada.example.org", "I was at the quay this morning: the ferry left on time.");
        await reader.PostButton.ClickAsync();
        await Expect(reader.Error("authorEmail")).Not.ToBeEmptyAsync();
        await Artifacts.ScreenshotAsync(reader.Form, "form-with-errors");
    }

    [Fact]
    public async Task Problem_details_from_the_server_are_shown_on_their_fields()
    {
        var reader = await system.OpenAsync(system.News.Article(WidgetSystem.NewThread("server-errors")));
        await reader.InterceptSubmissionsAsync(route => WidgetPage.FulfillProblemAsync(route, 400, system.News.Origin,
            """{"title":"The comment has invalid fields.","status":400,"errors":{"authorEmail":["This address cannot receive mail."],"parentId":["The comment replied to does not exist."]}}"""));
        await reader.FillAsync("Ada", "ada@example.org", body: "Hello.");
        await reader.PostButton.ClickAsync();

        await Expect(reader.Error("authorEmail")).ToHaveTextAsync("This address cannot receive mail.");
        await Expect(reader.Field("authorEmail")).ToBeFocusedAsync();
        await Expect(reader.FormStatus).ToContainTextAsync("The comment replied to does not exist.");
        await Expect(reader.Field("body")).ToHaveValueAsync("Hello.");
    }

    [Fact]
    public async Task A_page_whose_origin_the_site_does_not_allow_is_told_so_and_keeps_the_text()
    {
        // The same news page reached as http://localhost:port is another origin, one the site never listed.
        var url = system.News.Article(WidgetSystem.NewThread("origin")).Replace("127.0.0.1", "localhost");
        var reader = await system.OpenAsync(url);
        await reader.FillAsync("Ada", "ada@example.org", body: "From a page the site does not know.");
        await reader.PostButton.ClickAsync();

        await Expect(reader.FormStatus).ToContainTextAsync("could not");
        await Expect(reader.FormStatus.GetByRole(AriaRole.Button, new() { Name = "Try again" })).ToBeVisibleAsync();
        await Expect(reader.Field("body")).ToHaveValueAsync("From a page the site does not know.");
        await Expect(reader.Comments).ToHaveCountAsync(0);
    }
}
