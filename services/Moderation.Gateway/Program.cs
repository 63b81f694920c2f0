using Moderation.Gateway;
using Moderation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddHostDefaults("gateway");
builder.AddGateway();

var app = builder.Build();
app.UseHostDefaults();
app.MapHealthEndpoints();
app.MapGateway();
app.Run();
