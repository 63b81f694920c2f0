using System.Buffers.Text;
using Moderation.ReadApi.Threads;

namespace Moderation.UnitTests.ReadApi;

public class PageCursorTests
{
    [Fact]
    public void Encoded_cursor_decodes_to_the_same_time_and_id()
    {
        var cursor = new PageCursor(new DateTime(2026, 11, 26, 23, 35, 12, DateTimeKind.Utc).AddTicks(1234567), Guid.NewGuid());

        var text = cursor.Encode();

        Assert.True(PageCursor.TryDecode(text, out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.Equal(DateTimeKind.Utc, decoded.After.Kind);
    }

    [Fact]
    public void Encoded_cursor_is_url_safe()
    {
        var text = new PageCursor(DateTime.MaxValue, Guid.NewGuid()).Encode();

        Assert.Matches("^[A-Za-z0-9_-]{32}$", text);
    }

    [Fact]
    public void Different_positions_encode_differently()
    {
        var at = DateTime.UtcNow;

        Assert.NotEqual(new PageCursor(at, Guid.NewGuid()).Encode(), new PageCursor(at, Guid.NewGuid()).Encode());
        var id = Guid.NewGuid();
        Assert.NotEqual(new PageCursor(at, id).Encode(), new PageCursor(at.AddTicks(1), id).Encode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("not a cursor at all, not at all!")]            // 32 characters, not base64url
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]        // valid base64url, 27 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]            // padded, 23 bytes
    public void Garbage_is_refused(string? text)
    {
        Assert.False(PageCursor.TryDecode(text, out var cursor));
        Assert.Equal(default, cursor);
    }

    [Fact]
    public void Cursor_with_an_impossible_time_is_refused()
    {
        var bytes = new byte[24];
        Array.Fill(bytes, (byte)0xFF); // ticks = -1
        var text = Base64Url.EncodeToString(bytes);
        Assert.Equal(32, text.Length);

        Assert.False(PageCursor.TryDecode(text, out _));
    }

    [Fact]
    public void Truncated_extended_or_corrupted_cursor_is_refused()
    {
        var text = new PageCursor(DateTime.UtcNow, Guid.NewGuid()).Encode();

        Assert.False(PageCursor.TryDecode(text[..31] + "!", out _));
        Assert.False(PageCursor.TryDecode(text + "A", out _));
        Assert.False(PageCursor.TryDecode(text[..31], out _));
    }
}
