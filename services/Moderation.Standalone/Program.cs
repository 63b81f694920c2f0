using Moderation.Data;
using Moderation.Ingestion;
using Moderation.ModerationApi;
using Moderation.ReadApi;
using Moderation.Scoring;
using Moderation.ServiceDefaults;
using Moderation.Standalone;

// Every service in one process: in-memory transport, SQLite, in-process cache (see appsettings.json).
var builder = WebApplication.CreateBuilder(args);
builder.AddStandaloneDefaults();
builder.AddServiceDefaults("standalone");
builder.AddModerationData();
builder.AddModerationMessaging(bus => bus.AddScoringConsumers().AddReadApiConsumers(), allowInMemory: true);
builder.AddIngestion();
builder.AddScoring();
builder.AddReadApi();
builder.AddModerationApi();

var app = builder.Build();
app.UseServiceDefaults();
app.UseDemoPage();
app.MapDefaultEndpoints();
app.MapIngestion();
app.MapReadApi();
app.MapModerationApi();
app.LogConsoleAddress();
app.Run();
