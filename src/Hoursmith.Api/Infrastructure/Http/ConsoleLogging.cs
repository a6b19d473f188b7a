using Microsoft.Extensions.Logging.Console;

namespace Hoursmith.Api.Infrastructure.Http;

/// <summary>
/// The server's console log: one readable line per event in Development, JSON lines elsewhere (for log
/// shippers). The standard key <c>Logging:Console:FormatterName</c> (<c>simple</c>, <c>json</c>,
/// <c>systemd</c>) overrides the default either way.
/// </summary>
public static class ConsoleLogging
{
    public static ILoggingBuilder AddHoursmithConsole(this ILoggingBuilder logging, IHostEnvironment environment)
    {
        // Runs after the configuration is bound, so a configured formatter wins.
        logging.AddConsole(o => o.FormatterName ??= environment.IsDevelopment() ? ConsoleFormatterNames.Simple : ConsoleFormatterNames.Json);
        logging.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        return logging;
    }
}
