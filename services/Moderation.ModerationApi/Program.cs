using Moderation.Data;
using Moderation.ModerationApi;
using Moderation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("moderation-api");
builder.AddModerationData();
builder.AddModerationMessaging(_ => { });
builder.AddModerationApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapModerationApi();
app.Run();
