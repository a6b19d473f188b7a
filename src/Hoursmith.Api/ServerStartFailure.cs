namespace Hoursmith.Api;

/// <summary>Why a server did not start, in one line an operator can act on.</summary>
public static class ServerStartFailure
{
    private static volatile bool s_starting;

    /// <summary>
    /// While the executable starts its server, the host's and the database's own error lines (a stack trace
    /// for a taken port) are held back: a failure is reported once, by <see cref="Describe"/>.
    /// </summary>
    public static bool Starting { get => s_starting; set => s_starting = value; }

    public static ILoggingBuilder QuietWhileStarting(this ILoggingBuilder logging)
    {
        // These rules replace the broader ones for their categories, so they carry the same floors.
        foreach (var (category, floor) in (ReadOnlySpan<(string, LogLevel)>)[("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Information), ("Microsoft.EntityFrameworkCore.Database", LogLevel.Warning)])
        {
            logging.AddFilter(category, level => level >= floor && !s_starting);
        }

        return logging;
    }

    /// <summary>
    /// Reported as one line only in the executable itself: a test host that runs this entry point
    /// (WebApplicationFactory) receives the exception, as its tests expect.
    /// </summary>
    public static bool IsReportable(Exception failure) =>
        failure is not (OperationCanceledException or HostAbortedException)
        && System.Reflection.Assembly.GetEntryAssembly() == typeof(ServerStartFailure).Assembly;

    public static string Describe(Exception failure)
    {
        // Wrappers (hosting, options, EF Core) say little; the innermost exception names the cause.
        var cause = failure is AggregateException { InnerExceptions: [var only] } ? only : failure;
        var message = cause.InnerException is { } inner && cause is not IOException ? $"{FirstLine(cause)} ({FirstLine(inner)})" : FirstLine(cause);
        return cause is IOException && message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            ? $"{message} Another process listens there: stop it, or choose another address with --urls."
            : message;
    }

    private static string FirstLine(Exception e) => e.Message.Split('\n', 2)[0].Trim();
}
