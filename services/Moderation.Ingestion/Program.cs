using Moderation.Data;
using Moderation.Ingestion;
using Moderation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ingestion");
builder.AddModerationData();
builder.AddModerationMessaging(_ => { });
builder.AddIngestion();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapIngestion();
app.Run();
