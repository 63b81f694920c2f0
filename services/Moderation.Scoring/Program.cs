using Moderation.Data;
using Moderation.Scoring;
using Moderation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("scoring");
builder.AddModerationData();
builder.AddModerationMessaging(bus => bus.AddScoringConsumers());
builder.AddScoring();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.Run();
