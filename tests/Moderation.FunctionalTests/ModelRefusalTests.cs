using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Sites;
using Moderation.FunctionalTests.Infrastructure;
using Moderation.Scoring.Serving;
using Moderation.Spam;
using Moderation.Spam.Training;
using Serilog.Core;
using Serilog.Events;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary>The standalone host with 60 labels (12 held out) and an upload limit a test can pass.</summary>
public sealed class ModelFilesApp : SmallTrainingApp
{
    public const int MaxUploadBytes = 16 << 20; // below the service's default, so the too-large body stays small; above any model these tests upload

    public CapturedEvents Events { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Models:Upload:MaxBytes", MaxUploadBytes.ToString());
        builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(Events));
    }
}

/// <summary>
/// Models refused with a clear message while the active one keeps serving: an upload that is not a model, or one of
/// another feature schema (400, nothing stored); a promotion that scores worse on the held-out labels (409 naming both
/// figures, unless forced, and then audited as forced); a promoted version the worker cannot load.
/// </summary>
public sealed class ModelRefusalTests(ModelFilesApp app) : IClassFixture<ModelFilesApp>, IAsyncLifetime
{
    private readonly HttpClient _admin = app.StaffClient();

    public Task InitializeAsync() => app.EnsureLabelsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Uploading_a_model_zip_registers_it_unpromoted_and_the_same_file_again_is_409()
    {
        var artifact = WithMetadata(ModelsApiTests.DefaultArtifact(), m => m["version"] = $"uploaded-{Guid.NewGuid():N}"[..24]);

        var response = await UploadAsync(artifact);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var model = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var version = (string)model["version"]!;
        Assert.StartsWith("uploaded-", version);
        Assert.False((bool)model["isActive"]!);
        Assert.Equal($"/api/v1/admin/models/{version}", response.Headers.Location?.ToString());
        Assert.Equal(version, (string?)(await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/models/{version}"))!["version"]);
        var audit = (await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?action=model.register&targetId={version}"))!["items"]!.AsArray();
        Assert.Equal("upload", (string?)Assert.Single(audit)!["after"]!["source"]);

        var again = await AssertProblemAsync(await UploadAsync(artifact), HttpStatusCode.Conflict);
        Assert.Contains(version, (string?)again["detail"]);
    }

    [Fact]
    public async Task Uploading_a_file_that_is_not_a_zip_is_400_naming_the_problem_and_stores_nothing()
    {
        var before = await StoredVersionsAsync();

        var problem = await AssertProblemAsync(await UploadAsync("this is not a model"u8.ToArray()), HttpStatusCode.BadRequest, "body");

        Assert.Contains("Not a usable spam model", (string?)problem["errors"]!["body"]![0]);
        Assert.Equal(before, await StoredVersionsAsync());
    }

    [Fact]
    public async Task Uploading_a_damaged_zip_is_400_and_stores_nothing()
    {
        var before = await StoredVersionsAsync();
        var damaged = ModelsApiTests.DefaultArtifact();
        damaged = damaged[..(damaged.Length / 2)]; // cut in half: the central directory is gone

        await AssertProblemAsync(await UploadAsync(damaged), HttpStatusCode.BadRequest, "body");

        Assert.Equal(before, await StoredVersionsAsync());
    }

    [Fact]
    public async Task Uploading_a_zip_without_model_metadata_is_400_saying_it_is_not_a_moderation_model()
    {
        using var bytes = new MemoryStream();
        using (var zip = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true))
            await using (var entry = zip.CreateEntry("readme.txt").Open())
                entry.Write("hello"u8);

        var problem = await AssertProblemAsync(await UploadAsync(bytes.ToArray()), HttpStatusCode.BadRequest, "body");

        Assert.Contains("not a Moderation spam model", (string?)problem["errors"]!["body"]![0]);
    }

    [Fact]
    public async Task Uploading_a_model_of_another_feature_schema_is_400_naming_both_schemas_and_stores_nothing()
    {
        var before = await StoredVersionsAsync();
        var version = $"old-schema-{Guid.NewGuid():N}"[..24];
        var other = WithMetadata(ModelsApiTests.DefaultArtifact(), m =>
        {
            m["version"] = version;
            m["featureSchema"] = CommentFeatures.SchemaVersion - 1;
        });

        var problem = await AssertProblemAsync(await UploadAsync(other), HttpStatusCode.BadRequest, "body");

        var message = (string?)problem["errors"]!["body"]![0];
        Assert.Contains($"feature schema {CommentFeatures.SchemaVersion - 1}", message);
        Assert.Contains($"schema {CommentFeatures.SchemaVersion}", message);
        Assert.Equal(before, await StoredVersionsAsync());
    }

    [Fact]
    public async Task An_empty_upload_is_400_and_one_over_the_limit_is_413()
    {
        await AssertProblemAsync(await UploadAsync([]), HttpStatusCode.BadRequest, "body");
        await AssertProblemAsync(await UploadAsync(new byte[ModelFilesApp.MaxUploadBytes + 1]), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_moderator_or_a_site_scoped_admin_cannot_upload()
    {
        var moderator = app.StaffClient(await app.CreateKeyAsync("moderator"));
        var scoped = app.StaffClient(await app.CreateKeyAsync("admin", StandaloneApp.Site));
        var artifact = ModelsApiTests.DefaultArtifact();

        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(artifact, moderator)).StatusCode);
        await AssertProblemAsync(await UploadAsync(artifact, scoped), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Promoting_a_version_that_scores_worse_on_the_held_out_labels_is_409_naming_both_figures_unless_forced()
    {
        var version = await RegisterFlippedModelAsync();

        var refused = await AssertProblemAsync(await _admin.PostAsync($"/api/v1/admin/models/{version}/promote", null), HttpStatusCode.Conflict);

        var f1 = (double)refused["f1"]!;
        var activeF1 = (double)refused["activeF1"]!;
        Assert.True(f1 < activeF1, refused.ToJsonString());
        Assert.Equal(12, (int)refused["heldOutLabels"]!);
        Assert.Equal(ModelRegistry.DefaultVersion, (string?)refused["activeVersion"]);
        var detail = (string)refused["detail"]!;
        Assert.Contains($"F1 {f1:0.000}", detail);
        Assert.Contains($"{activeF1:0.000}", detail);
        Assert.Contains("force=true", detail);
        Assert.False(await IsActiveAsync(version));
        Assert.Empty((await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?action=model.promote&targetId={version}"))!["items"]!.AsArray());

        var forced = await _admin.PostAsync($"/api/v1/admin/models/{version}/promote?force=true", null);
        try
        {
            Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
            Assert.True(await IsActiveAsync(version));
            var entry = Assert.Single((await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?action=model.promote&targetId={version}"))!["items"]!.AsArray())!;
            Assert.True((bool)entry["after"]!["forced"]!);
            Assert.Equal(f1, (double)entry["after"]!["heldOutCheck"]!["f1"]!);
            Assert.Equal(activeF1, (double)entry["after"]!["heldOutCheck"]!["activeF1"]!);
        }
        finally
        {
            (await _admin.PostAsync("/api/v1/admin/models/rollback", null)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task A_promoted_version_the_worker_cannot_load_leaves_the_served_model_serving()
    {
        var holder = app.Services.GetRequiredService<ModelHolder>();
        await holder.ReloadAsync(default);
        var served = holder.Version;
        var version = $"unloadable-{Guid.NewGuid():N}"[..24];
        // What a promotion made elsewhere (another build, a database restored) can leave: an active version this worker cannot read.
        await using (await ActiveWithoutPromotionAsync(version, [0x50, 0x4b, 1, 2], "Sdca", null))
        {
            await holder.ReloadAsync(default);

            Assert.Equal(served, holder.Version);
            Assert.Equal(version, holder.LastFailedVersion);
            var site = app.Services.GetRequiredService<ISiteRegistry>().Find(StandaloneApp.Site)!;
            var score = await holder.ScoreAsync(new CommentSubmitted(Guid.NewGuid(), site.Id, "t", null, null, null, "Ada", "ada@example.org", null,
                "A friendly comment about the river path.", DateTime.UtcNow, null, null, null, null, false, 9000), site, default);
            Assert.InRange(score.Score, 0, 1);

            // The periodic check leaves the refused version alone; promoting it again tries it again.
            await holder.RecheckAsync(default);
            Assert.Single(LoadFailures(version));
            await holder.ReloadAsync(default);
            Assert.Equal(2, LoadFailures(version).Count);
            Assert.Equal(served, holder.Version);
        }
    }

    [Fact]
    public async Task A_version_of_an_older_feature_schema_is_listed_as_not_servable_and_while_active_the_default_serves()
    {
        // What an upgrade that changes the features leaves in the database: a version trained by the build before.
        var holder = app.Services.GetRequiredService<ModelHolder>();
        var version = $"schema-before-{Guid.NewGuid():N}"[..24];
        var older = CommentFeatures.SchemaVersion - 1;
        var artifact = WithMetadata(ModelsApiTests.DefaultArtifact(), m =>
        {
            m["version"] = version;
            m["featureSchema"] = older;
        });
        var current = $"schema-now-{Guid.NewGuid():N}"[..24];
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RegisterAsync(current, WithMetadata(ModelsApiTests.DefaultArtifact(),
                m => m["version"] = current), "Ensemble", $$"""{"version":"{{current}}","featureSchema":{{CommentFeatures.SchemaVersion}}}""", default);
        await using (await ActiveWithoutPromotionAsync(version, artifact, "Ensemble", $$"""{"version":"{{version}}","featureSchema":{{older}}}"""))
        {
            await holder.ReloadAsync(default);

            Assert.Equal(ModelRegistry.DefaultVersion, holder.Version);
            var view = (await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/models/{version}"))!;
            Assert.True((bool)view["isActive"]!);
            Assert.Equal(older, (int?)view["featureSchema"]);
            Assert.False((bool)view["servable"]!);
            var listed = (await _admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/models"))!;
            Assert.False((bool)listed.Single(m => (string?)m!["version"] == version)!["servable"]!);
            Assert.All(listed.Where(m => (int?)m!["featureSchema"] == CommentFeatures.SchemaVersion), m => Assert.True((bool)m!["servable"]!));
            Assert.True((bool)listed.Single(m => (string?)m!["version"] == current)!["servable"]!);
        }
    }

    /// <summary>
    /// Stores a version and makes it the active one the way a promotion elsewhere leaves the database (no event reaches this
    /// worker); disposing makes it inactive again and reloads, so the next test finds the model it expects.
    /// </summary>
    private async Task<IAsyncDisposable> ActiveWithoutPromotionAsync(string version, byte[] artifact, string trainer, string? metricsJson)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RegisterAsync(version, artifact, trainer, metricsJson, default);
            await SetActiveAsync(scope, version, true);
        }
        return new Undo(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await SetActiveAsync(scope, version, false);
            await app.Services.GetRequiredService<ModelHolder>().ReloadAsync(default);
        });
    }

    private sealed class Undo(Func<Task> undo) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await undo();
    }

    private IReadOnlyList<LogEvent> LoadFailures(string version) => app.Events.Where(e =>
        e.Level == LogEventLevel.Error && e.Properties.TryGetValue("Version", out var v) && v is ScalarValue { Value: string s } && s == version);

    /// <summary>A model trained on the fixture's texts with every label the wrong way round: it scores the held-out labels badly.</summary>
    private async Task<string> RegisterFlippedModelAsync()
    {
        var comments = Enumerable.Range(0, 60).Select(i => i % 2 == 0
            ? new LabelledComment(new SpamModelInput(LabelledComments.SpamText(i), $"Cheap Deals {i}", $"http://deals{i}.example", $"reader{i}@example.org"), IsSpam: false)
            : new LabelledComment(new SpamModelInput(LabelledComments.HamText(i), $"Reader {i}", null, $"reader{i}@example.org"), IsSpam: true));
        var trained = new SpamModelTrainer().Train(comments, new TrainingOptions { Name = $"flipped{Guid.NewGuid():N}"[..15], Candidates = [SpamTrainer.Sdca], Folds = 2 });
        using var bytes = new MemoryStream();
        trained.Save(bytes);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RegisterAsync(trained.Metadata.Version, bytes.ToArray(), "Sdca", null, default);
        return trained.Metadata.Version;
    }

    private Task<HttpResponseMessage> UploadAsync(byte[] body, HttpClient? client = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return (client ?? _admin).PostAsync("/api/v1/admin/models", content);
    }

    private async Task<List<string>> StoredVersionsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModerationDb>().SpamModels.Select(m => m.Version).OrderBy(v => v).ToListAsync();
    }

    private async Task<bool> IsActiveAsync(string version)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModerationDb>().SpamModels.Where(m => m.Version == version).Select(m => m.IsActive).SingleAsync();
    }

    private static Task SetActiveAsync(AsyncServiceScope scope, string version, bool active) =>
        scope.ServiceProvider.GetRequiredService<ModerationDb>().SpamModels.Where(m => m.Version == version)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsActive, active));

    /// <summary>The zip with its <c>Moderation/metadata.json</c> changed by <paramref name="change"/>.</summary>
    private static byte[] WithMetadata(byte[] artifact, Action<JsonObject> change)
    {
        using var bytes = new MemoryStream();
        bytes.Write(artifact);
        using (var zip = new ZipArchive(bytes, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry(SpamModelArtifact.MetadataEntry)!;
            JsonObject metadata;
            using (var reader = new StreamReader(entry.Open())) metadata = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
            change(metadata);
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(SpamModelArtifact.MetadataEntry).Open());
            writer.Write(metadata.ToJsonString());
        }
        return bytes.ToArray();
    }
}
