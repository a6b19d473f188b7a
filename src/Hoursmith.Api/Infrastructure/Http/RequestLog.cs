using System.Threading.Channels;

namespace Hoursmith.Api.Infrastructure.Http;

public static class RequestLogSetup
{
    public static IServiceCollection AddRequestLog(this IServiceCollection services)
    {
        services.AddSingleton<RequestLog>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestLog>());
        return services;
    }
}

/// <summary>
/// Writes the one log line per request from a single background loop: a request only hands its line
/// over (a lock-free queue) and goes on. When every request wrote its own line, they queued on the
/// console logger's lock and its wake-ups (a third of a cheap request's time under 16 connections);
/// one writer takes that lock alone. Lines keep their order and are never dropped: past
/// <see cref="MaxPending"/> waiting lines, or once the server is stopping, a request writes its line itself.
/// </summary>
public sealed partial class RequestLog(ILogger<RequestContextMiddleware> logger) : BackgroundService
{
    /// <summary>Lines allowed to wait for the writer; beyond it requests write directly (memory stays bounded).</summary>
    internal const int MaxPending = 10_000;

    /// <summary>How long lines gather before they are written: a line reaches the log at most this much later.</summary>
    private static readonly TimeSpan s_batchWindow = TimeSpan.FromMilliseconds(20);

    private readonly Channel<Line> _lines = Channel.CreateUnbounded<Line>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _draining = new();
    private int _pending;
    private volatile bool _stopping;

    /// <summary>What one request's line says, captured when the pipeline returned (the request's objects are reused after).</summary>
    public sealed record Line(string RequestId, string Method, string Path, int StatusCode, double ElapsedMs, string? TokenPrefix);

    public bool IsEnabled => logger.IsEnabled(LogLevel.Information);

    public void Post(Line line)
    {
        if (_stopping)
        {
            Write(line);
            return;
        }

        if (Interlocked.Increment(ref _pending) > MaxPending)
        {
            Interlocked.Decrement(ref _pending);
            Write(line);
            return;
        }

        _lines.Writer.TryWrite(line);
        if (_stopping)
        {
            // Stopping began while this line was queued: make sure it is not left behind.
            Drain();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _lines.Reader.WaitToReadAsync(stoppingToken))
            {
                Drain();
                // Lines gather for a moment, so the console logger's writer wakes once per batch, not once per line.
                await Task.Delay(s_batchWindow, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the lines still queued are written below.
        }

        Drain();
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        return base.StopAsync(cancellationToken);
    }

    private void Drain()
    {
        lock (_draining)
        {
            while (_lines.Reader.TryRead(out var line))
            {
                Interlocked.Decrement(ref _pending);
                Write(line);
            }
        }
    }

    private void Write(Line line)
    {
        using var scope = logger.BeginScope(new RequestContextMiddleware.RequestScope(line.RequestId));
        LogRequest(logger, line.Method, line.Path, line.StatusCode, line.ElapsedMs, line.TokenPrefix);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms (token {TokenPrefix})")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, double elapsedMs, string? tokenPrefix);
}
