using System.Diagnostics;
using Hoursmith.Api.Infrastructure.Auth;

namespace Hoursmith.Api.Infrastructure.Http;

/// <summary>
/// Outermost middleware: gives every request an id (a sane client-sent <c>X-Request-Id</c> or a new one),
/// returns it on every response, and logs one structured line per request (through <see cref="RequestLog"/>).
/// The line carries the token's public prefix but never a header, query string or secret.
/// </summary>
public sealed class RequestContextMiddleware(RequestDelegate next, ILogger<RequestContextMiddleware> logger, RequestLog requestLog)
{
    public const string HeaderName = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = IsSane(context.Request.Headers[HeaderName]) ? context.Request.Headers[HeaderName].ToString() : NewId();
        context.TraceIdentifier = requestId;
        context.Response.OnStarting(static state =>
        {
            var ctx = (HttpContext)state;
            ctx.Response.Headers[HeaderName] = ctx.TraceIdentifier;
            return Task.CompletedTask;
        }, context);

        var started = Stopwatch.GetTimestamp();
        using var scope = logger.BeginScope(new RequestScope(requestId));
        try
        {
            await next(context);
        }
        finally
        {
            if (requestLog.IsEnabled)
            {
                requestLog.Post(new RequestLog.Line(requestId, context.Request.Method, LoggedPath(context.Request.Path), context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, context.Features.Get<Caller>()?.TokenPrefix));
            }
        }
    }

    private static readonly PathString s_signIn = "/sign-in";

    /// <summary>The path as logged: a sign-in link's code is a credential, so it never reaches a log.</summary>
    internal static string LoggedPath(PathString path) =>
        path.StartsWithSegments(s_signIn, out var rest) && rest.HasValue && rest != "/" ? "/sign-in/{code}" : path.ToString();

    /// <summary>Printable ASCII id of at most 128 characters; anything else is replaced, not echoed.</summary>
    internal static bool IsSane(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= 128 } value)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    private static string NewId() => Guid.CreateVersion7().ToString("N");

    /// <summary>A logging scope that structured formatters render as <c>RequestId</c>.</summary>
    internal sealed class RequestScope(string requestId) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public KeyValuePair<string, object> this[int index] => index == 0
            ? new KeyValuePair<string, object>("RequestId", requestId)
            : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => 1;

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestId:{requestId}";
    }
}
