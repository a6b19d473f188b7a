using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hoursmith.Api.Tests.Support;

/// <summary>Records every log entry, rendered with its structured state and scopes, as text.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>The first entry that matches, once it is written (request lines are written in the background).</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (_entries.FirstOrDefault(match) is { } entry)
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No log entry matched within the time allowed.");
            }

            await Task.Delay(20);
        }
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                {
                    text.Append($" | {key}={value}");
                }
            }

            owner._scopes.ForEachScope((scope, sb) =>
            {
                sb.Append(" | scope ");
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        sb.Append($"{key}={value} ");
                    }
                }
                else
                {
                    sb.Append(scope);
                }
            }, text);
            if (exception is not null)
            {
                text.Append(" | ").Append(exception);
            }

            owner._entries.Enqueue(text.ToString());
        }
    }
}
