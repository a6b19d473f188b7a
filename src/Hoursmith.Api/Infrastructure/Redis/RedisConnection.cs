using System.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Hoursmith.Api.Infrastructure.Redis;

/// <summary>
/// This instance's view of Redis: its keys (under <c>Redis:KeyPrefix</c>) and whether Redis answers
/// right now. Every call goes through <see cref="TryAsync"/>, bounded by <c>Redis:TimeoutMilliseconds</c>;
/// after a failure no call is attempted (callers carry on with in-process state) until a background
/// ping, at most one per <see cref="RetryInterval"/>, finds Redis back. Each switch is logged once.
/// </summary>
public sealed class RedisConnection
{
    /// <summary>How long after a failed call or ping Redis is tried again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private static readonly long s_retryTimestampTicks = (long)(RetryInterval.TotalSeconds * Stopwatch.Frequency);

    private readonly TimeSpan _timeout;
    private readonly ILogger<RedisConnection> _logger;
    private int _down;
    private int _probing;
    private long _nextProbe;

    public RedisConnection(IConnectionMultiplexer multiplexer, IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        _timeout = TimeSpan.FromMilliseconds(options.Value.TimeoutMilliseconds);
        _logger = logger;
        Database = multiplexer.GetDatabase().WithKeyPrefix(options.Value.KeyPrefix);
    }

    /// <summary>The database, every key (scripts' keys included) prefixed with <c>Redis:KeyPrefix</c>.</summary>
    public IDatabase Database { get; }

    /// <summary>False from a failed call until a ping succeeds again.</summary>
    public bool IsAvailable => Volatile.Read(ref _down) == 0;

    /// <summary>
    /// Runs <paramref name="call"/> within the timeout. Null when Redis failed, timed out, or is known
    /// to be down (then not even tried): the caller decides without it.
    /// </summary>
    public async Task<T?> TryAsync<TState, T>(TState state, Func<IDatabase, TState, Task<T>> call) where T : class
    {
        if (!IsAvailable)
        {
            ProbeSoon();
            return null;
        }

        Task<T>? pending = null;
        try
        {
            pending = call(Database, state);
            return await pending.WaitAsync(_timeout);
        }
        catch (Exception failure) when (IsRedisFailure(failure))
        {
            Observe(pending);
            MarkDown(failure);
            return null;
        }
    }

    /// <summary>A ping now, whatever the state (the health check); its outcome updates the state.</summary>
    public async Task<bool> CheckAsync()
    {
        Task<TimeSpan>? pending = null;
        try
        {
            pending = Database.PingAsync();
            await pending.WaitAsync(_timeout);
        }
        catch (Exception failure) when (IsRedisFailure(failure))
        {
            Observe(pending);
            MarkDown(failure);
            return false;
        }

        MarkUp();
        return true;
    }

    private void ProbeSoon()
    {
        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _nextProbe) || Interlocked.Exchange(ref _probing, 1) == 1)
        {
            return;
        }

        // In the background: no request waits on a Redis that is still away.
        _ = Task.Run(async () =>
        {
            try
            {
                await CheckAsync();
            }
            catch (ObjectDisposedException)
            {
                // The instance is shutting down.
            }
            finally
            {
                Volatile.Write(ref _nextProbe, Stopwatch.GetTimestamp() + s_retryTimestampTicks);
                Volatile.Write(ref _probing, 0);
            }
        });
    }

    private void MarkDown(Exception failure)
    {
        Volatile.Write(ref _nextProbe, Stopwatch.GetTimestamp() + s_retryTimestampTicks);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            _logger.LogWarning(failure, "Redis is unavailable; this instance carries on with in-process state (rate limits counted per instance) until Redis answers again");
        }
    }

    private void MarkUp()
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
        {
            _logger.LogInformation("Redis answers again; shared state is back in use");
        }
    }

    /// <summary>Connection failures, server errors and timeouts (ours, or the client's own).</summary>
    private static bool IsRedisFailure(Exception failure) => failure is RedisException or TimeoutException;

    /// <summary>A call abandoned on timeout may still fail later; its exception is observed, not left to the finalizer.</summary>
    private static void Observe(Task? pending) =>
        pending?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
