using System.Text.Json.Nodes;

namespace Moderation.DocTests;

/// <summary>The doc test's own pieces: what a shape accepts and refuses, and how blocks and markers are read.</summary>
public class HarnessTests
{
    [Theory]
    [InlineData("""{"id":"…","status":"pending","statusUrl":"/api/v1/comments/…/status?token=…"}""",
        """{"id":"0a","status":"pending","statusUrl":"/api/v1/comments/0a/status?token=xyz","extra":1}""")]
    [InlineData("""{"items":[{"name":"Ada",…},…],"nextCursor":…}""", """{"items":[{"name":"Ada","x":1},{"name":"Ben"}],"nextCursor":null}""")]
    [InlineData("""[…]""", """[]""")]
    [InlineData("""{"applied":1,"conflicts":[]}""", """{"applied":1.0,"conflicts":[]}""")]
    [InlineData("""{"histogram":{"spam":[0, …20 counts]}}""", """{"histogram":{"spam":[0,1,2]}}""")]
    public void A_shape_accepts_what_it_shows(string shape, string body) =>
        Assert.Empty(JsonShape.Parse(shape).Mismatches(JsonNode.Parse(body), "$"));

    [Theory]
    [InlineData("""{"status":"pending"}""", """{"status":"approved"}""", "$.status")]
    [InlineData("""{"key":"mk_…"}""", """{"title":"Bad"}""", "no \"key\"")]
    [InlineData("""{"applied":1}""", """{"applied":0}""", "$.applied")]
    [InlineData("""[{"id":"…"}]""", """[{"id":"a"},{"id":"b"}]""", "expected 1 item(s)")]
    [InlineData("""{"items":[…]}""", """{"items":{}}""", "expected an array")]
    public void A_shape_refuses_what_differs(string shape, string body, string saying) =>
        Assert.Contains(JsonShape.Parse(shape).Mismatches(JsonNode.Parse(body), "$"), m => m.Contains(saying, StringComparison.Ordinal));

    [Fact]
    public void Blocks_markers_and_expectations_are_read_with_their_lines()
    {
        using var dir = new TempFile("""
            # Doc

            ```bash
            curl -s http://localhost:5000/x
            # 201 {"id":"…"}   prose after the shape
            ```

            <!-- doc-test: skip (a placeholder) -->
            ```sh
            curl {id}
            ```

            <!-- doc-test: distributed -->

            ```bash
            echo gateway
            ```

            <!-- doc-test: skip -->
            ```bash
            echo no reason
            ```

            ```json
            {"not": "run"}
            ```
            """);
        var file = DocBlocks.Read(dir.Folder, dir.Name);

        Assert.Equal([BlockMode.Standalone, BlockMode.Skip, BlockMode.Distributed, BlockMode.Skip], file.Blocks.Select(b => b.Mode));
        Assert.Equal([4, 10, 16, 21], file.Blocks.Select(b => b.Line));
        Assert.Equal("a placeholder", file.Blocks[1].SkipReason);
        Assert.Contains(file.Errors, e => e.Contains("block 4", StringComparison.Ordinal) && e.Contains("needs a reason", StringComparison.Ordinal));

        var script = new DocScript([file.Blocks[0]], "prelude.sh");
        var expectation = Assert.Single(script.Expectations);
        Assert.Equal((201, """{"id":"…"}""", 5), (expectation.Status, expectation.Shape, expectation.Line));
        var lines = script.Text.Split('\n');
        var at = script.At(Array.FindIndex(lines, l => l.StartsWith("__doc_expect", StringComparison.Ordinal)) + 1);
        Assert.Equal(5, at?.Line);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string text)
        {
            Folder = Directory.CreateTempSubdirectory("doc-harness-").FullName;
            File.WriteAllText(Path.Combine(Folder, Name), text);
        }

        public string Folder { get; }

        public string Name => "doc.md";

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
