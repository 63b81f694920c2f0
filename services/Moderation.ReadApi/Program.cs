using Moderation.Data;
using Moderation.ReadApi;
using Moderation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("read-api");
builder.AddModerationData();
builder.AddModerationMessaging(bus => bus.AddReadApiConsumers());
builder.AddReadApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapReadApi();
app.Run();
