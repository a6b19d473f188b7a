using Hoursmith.Api;
using Hoursmith.Api.Cli;

if (!CliApp.IsServeCommand(args, out var serverArgs))
{
    return await CliApp.RunAsync(args);
}

WebApplication app;
ServerStartFailure.Starting = true;
try
{
    var builder = WebApplication.CreateBuilder(serverArgs);
    builder.AddHoursmithServer();
    app = builder.Build();
    app.UseHoursmithPipeline();
    await app.InitializeAsync();
    await app.StartAsync();
}
catch (Exception failure) when (ServerStartFailure.IsReportable(failure))
{
    // A port in use, a database that cannot be opened, a bad setting: one line saying why, not a stack trace.
    await Console.Error.WriteLineAsync($"error: the server could not start: {ServerStartFailure.Describe(failure)}");
    return 1;
}
finally
{
    // Also when a test host runs this entry point (its failures are the host's to report).
    ServerStartFailure.Starting = false;
}

await app.WaitForShutdownAsync();
return 0;

/// <summary>The entry point; public so integration tests can host it.</summary>
public partial class Program;
