namespace Hoursmith.Api.Cli;

/// <summary>A host without a web server: the same configuration and database as the server, logs on stderr only.</summary>
internal static class CliHost
{
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            // dotnet run's launch profile sets the ASP.NET variable; honour it like the server does.
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                ?? Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHoursmithCore(builder.Configuration, builder.Environment);
        return builder.Build();
    }
}
