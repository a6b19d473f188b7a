using Hoursmith.Api;
using Hoursmith.Api.Cli;

if (!CliApp.IsServeCommand(args, out var serverArgs))
{
    return await CliApp.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(serverArgs);
builder.AddHoursmithServer();
var app = builder.Build();
app.UseHoursmithPipeline();
await app.InitializeAsync();
await app.RunAsync();
return 0;

/// <summary>The entry point; public so integration tests can host it.</summary>
public partial class Program;
