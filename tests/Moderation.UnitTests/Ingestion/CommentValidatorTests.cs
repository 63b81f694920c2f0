using Moderation.Data;
using Moderation.Ingestion.Submissions;

namespace Moderation.UnitTests.Ingestion;

public class CommentValidatorTests
{
    private static SubmitCommentRequest Valid() => new()
    {
        SiteId = "demo",
        ThreadId = "news/council-budget",
        ThreadUrl = "https://news.example/news/council-budget",
        ThreadTitle = "Council agrees next year's budget",
        AuthorName = "Ada Reader",
        AuthorEmail = "ada@example.com",
        AuthorUrl = "https://ada.example/blog",
        Body = "Thanks for the careful reporting.",
        ElapsedMs = 45_000,
    };

    private static ValidComment Accepted(SubmitCommentRequest request)
    {
        var (comment, errors) = CommentValidator.Validate(request);
        Assert.Empty(errors);
        return Assert.IsType<ValidComment>(comment);
    }

    /// <summary>Asserts the request is refused and returns the messages for <paramref name="field"/>.</summary>
    private static string[] Rejected(SubmitCommentRequest request, string field)
    {
        var (comment, errors) = CommentValidator.Validate(request);
        Assert.Null(comment);
        Assert.True(errors.ContainsKey(field), $"expected an error for '{field}', got: {string.Join(", ", errors.Keys)}");
        Assert.NotEmpty(errors[field]);
        return errors[field];
    }

    [Fact]
    public void Valid_request_is_accepted_with_every_field_kept()
    {
        var parent = Guid.NewGuid();
        var comment = Accepted(Valid() with { ParentId = parent });

        Assert.Equal("demo", comment.SiteId);
        Assert.Equal("news/council-budget", comment.ThreadId);
        Assert.Equal("https://news.example/news/council-budget", comment.ThreadUrl);
        Assert.Equal("Council agrees next year's budget", comment.ThreadTitle);
        Assert.Equal(parent, comment.ParentId);
        Assert.Equal("Ada Reader", comment.AuthorName);
        Assert.Equal("ada@example.com", comment.AuthorEmail);
        Assert.Equal("https://ada.example/blog", comment.AuthorUrl);
        Assert.Equal("Thanks for the careful reporting.", comment.Body);
        Assert.False(comment.HoneypotFilled);
        Assert.Equal(45_000, comment.ElapsedMs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n ")]
    public void Missing_or_blank_name_is_rejected(string? name)
    {
        var messages = Rejected(Valid() with { AuthorName = name }, "authorName");
        Assert.Contains(messages, m => m.Contains("required"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_or_blank_email_is_rejected(string? email)
    {
        var messages = Rejected(Valid() with { AuthorEmail = email }, "authorEmail");
        Assert.Contains(messages, m => m.Contains("required"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Missing_or_blank_site_is_rejected(string? siteId) =>
        Rejected(Valid() with { SiteId = siteId }, "siteId");

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Missing_or_blank_thread_is_rejected(string? threadId) =>
        Rejected(Valid() with { ThreadId = threadId }, "threadId");

    [Theory]
    [InlineData("a@b")]
    [InlineData("no-at")]
    [InlineData("a b@c.com")]
    [InlineData("<x@y.com>")]
    [InlineData("Name <x@y.com>")]
    [InlineData("ada@example.com.")]
    [InlineData("ada@.example.com")]
    [InlineData("ada@example.com, bob@example.com")]
    [InlineData("@example.com")]
    public void Malformed_email_is_rejected(string email)
    {
        var messages = Rejected(Valid() with { AuthorEmail = email }, "authorEmail");
        Assert.Contains(messages, m => m.Contains("not a valid email"));
    }

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("first.last+comments@news.example.co.uk")]
    [InlineData("o'brien@example.ie")]
    [InlineData("ADA@EXAMPLE.COM")]
    public void Well_formed_email_is_accepted(string email) =>
        Assert.Equal(email, Accepted(Valid() with { AuthorEmail = email }).AuthorEmail);

    [Theory]
    [InlineData("siteId", FieldLimits.SiteId)]
    [InlineData("threadId", FieldLimits.ThreadId)]
    [InlineData("threadTitle", FieldLimits.ThreadTitle)]
    [InlineData("threadUrl", FieldLimits.Url)]
    [InlineData("authorName", FieldLimits.AuthorName)]
    [InlineData("authorEmail", FieldLimits.AuthorEmail)]
    [InlineData("authorUrl", FieldLimits.Url)]
    [InlineData("body", FieldLimits.Body)]
    public void Field_longer_than_its_limit_is_rejected(string field, int limit)
    {
        var messages = Rejected(With(Valid(), field, ValueOfLength(field, limit + 1)), field);
        Assert.Contains(messages, m => m.Contains($"at most {limit}"));
    }

    [Theory]
    [InlineData("siteId", FieldLimits.SiteId)]
    [InlineData("threadId", FieldLimits.ThreadId)]
    [InlineData("threadTitle", FieldLimits.ThreadTitle)]
    [InlineData("threadUrl", FieldLimits.Url)]
    [InlineData("authorName", FieldLimits.AuthorName)]
    [InlineData("authorUrl", FieldLimits.Url)]
    [InlineData("body", FieldLimits.Body)]
    public void Field_exactly_at_its_limit_is_accepted(string field, int limit) =>
        Accepted(With(Valid(), field, ValueOfLength(field, limit)));

    [Fact]
    public void Length_is_measured_after_trimming()
    {
        var name = new string('n', FieldLimits.AuthorName);
        Assert.Equal(name, Accepted(Valid() with { AuthorName = "  " + name + "  " }).AuthorName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \r\n\t ")]
    public void Empty_or_whitespace_body_is_rejected(string? body)
    {
        var messages = Rejected(Valid() with { Body = body }, "body");
        Assert.Contains(messages, m => m.Contains("required"));
    }

    [Theory]
    [InlineData("authorName", "Ada\u0007Reader")]
    [InlineData("authorName", "Ada\nReader")]
    [InlineData("authorName", "Ada\0")]
    [InlineData("threadTitle", "Budget\u001b[31m")]
    [InlineData("threadId", "news/\u0000budget")]
    [InlineData("body", "Hello\u0000world")]
    [InlineData("body", "Hello\u0008world")]
    [InlineData("body", "Hello\u007fworld")]
    public void Control_characters_are_rejected(string field, string value)
    {
        var messages = Rejected(With(Valid(), field, value), field);
        Assert.Contains(messages, m => m.Contains("control characters"));
    }

    [Fact]
    public void Line_breaks_and_tabs_are_allowed_in_the_body_and_kept()
    {
        const string body = "First paragraph.\r\n\r\nSecond paragraph:\n\t- a point";
        Assert.Equal(body, Accepted(Valid() with { Body = body }).Body);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(document.cookie)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("ftp://files.example.com/a.txt")]
    [InlineData("mailto:ada@example.com")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/path")]
    [InlineData("ada.example")]
    [InlineData("//ada.example/protocol-relative")]
    [InlineData("http://")]
    public void Author_url_that_is_not_http_or_https_is_rejected(string url)
    {
        var messages = Rejected(Valid() with { AuthorUrl = url }, "authorUrl");
        Assert.Contains(messages, m => m.Contains("http://"));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://news.example/story")]
    [InlineData("news/council-budget")]
    public void Thread_url_that_is_not_http_or_https_is_rejected(string url) =>
        Rejected(Valid() with { ThreadUrl = url }, "threadUrl");

    [Theory]
    [InlineData("http://ada.example")]
    [InlineData("https://ada.example/blog?tag=news#latest")]
    [InlineData("HTTPS://ADA.EXAMPLE/")]
    public void Http_and_https_urls_are_accepted_as_given(string url) =>
        Assert.Equal(url, Accepted(Valid() with { AuthorUrl = url }).AuthorUrl);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("    ")]
    public void Blank_optional_fields_become_null(string? blank)
    {
        var comment = Accepted(Valid() with { ThreadTitle = blank, ThreadUrl = blank, AuthorUrl = blank });

        Assert.Null(comment.ThreadTitle);
        Assert.Null(comment.ThreadUrl);
        Assert.Null(comment.AuthorUrl);
    }

    [Fact]
    public void Every_text_field_is_trimmed()
    {
        var comment = Accepted(new SubmitCommentRequest
        {
            SiteId = "  demo ",
            ThreadId = "\tnews/council-budget\n",
            ThreadUrl = " https://news.example/a ",
            ThreadTitle = "  Budget  ",
            AuthorName = "  Ada Reader  ",
            AuthorEmail = "  ada@example.com  ",
            AuthorUrl = "  https://ada.example  ",
            Body = "\n  Well argued.  \n",
        });

        Assert.Equal("demo", comment.SiteId);
        Assert.Equal("news/council-budget", comment.ThreadId);
        Assert.Equal("https://news.example/a", comment.ThreadUrl);
        Assert.Equal("Budget", comment.ThreadTitle);
        Assert.Equal("Ada Reader", comment.AuthorName);
        Assert.Equal("ada@example.com", comment.AuthorEmail);
        Assert.Equal("https://ada.example", comment.AuthorUrl);
        Assert.Equal("Well argued.", comment.Body);
    }

    [Fact]
    public void Html_and_script_are_kept_verbatim_as_text()
    {
        var request = Valid() with
        {
            ThreadTitle = "<i>Budget</i> & \"cuts\"",
            AuthorName = "<img src=x onerror=alert(1)>",
            AuthorUrl = "https://ada.example/?q=<script>alert(1)</script>",
            Body = "<script>alert('x')</script><b>bold</b> &amp; &lt;not decoded&gt;",
        };

        var comment = Accepted(request);

        Assert.Equal(request.ThreadTitle, comment.ThreadTitle);
        Assert.Equal(request.AuthorName, comment.AuthorName);
        Assert.Equal(request.AuthorUrl, comment.AuthorUrl);
        Assert.Equal(request.Body, comment.Body);
    }

    [Fact]
    public void Filled_honeypot_is_flagged_not_rejected()
    {
        Assert.True(Accepted(Valid() with { Honeypot = "http://spam.example" }).HoneypotFilled);
        Assert.False(Accepted(Valid() with { Honeypot = "" }).HoneypotFilled);
    }

    [Fact]
    public void Negative_elapsed_time_is_rejected() =>
        Rejected(Valid() with { ElapsedMs = -1 }, "elapsedMs");

    [Fact]
    public void Empty_parent_id_is_rejected() =>
        Rejected(Valid() with { ParentId = Guid.Empty }, "parentId");

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var (comment, errors) = CommentValidator.Validate(new SubmitCommentRequest
        {
            SiteId = "demo",
            ThreadId = "t",
            AuthorEmail = "not-an-email",
            AuthorUrl = "javascript:alert(1)",
        });

        Assert.Null(comment);
        Assert.Equal(["authorEmail", "authorName", "authorUrl", "body"], errors.Keys.Order());
    }

    private static string ValueOfLength(string field, int length) => field switch
    {
        "authorEmail" => new string('a', length - "@example.com".Length) + "@example.com",
        "threadUrl" or "authorUrl" => "https://example.com/" + new string('a', length - "https://example.com/".Length),
        _ => new string('x', length),
    };

    private static SubmitCommentRequest With(SubmitCommentRequest request, string field, string value) => field switch
    {
        "siteId" => request with { SiteId = value },
        "threadId" => request with { ThreadId = value },
        "threadTitle" => request with { ThreadTitle = value },
        "threadUrl" => request with { ThreadUrl = value },
        "authorName" => request with { AuthorName = value },
        "authorEmail" => request with { AuthorEmail = value },
        "authorUrl" => request with { AuthorUrl = value },
        "body" => request with { Body = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
