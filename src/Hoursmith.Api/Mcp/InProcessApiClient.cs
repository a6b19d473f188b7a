using System.Text;
using Hoursmith.Api.Infrastructure.Http;
using Hoursmith.Api.Infrastructure.Idempotency;
using Microsoft.AspNetCore.Http.Features;

namespace Hoursmith.Api.Mcp;

/// <summary>
/// The server's whole request pipeline as a delegate, taken when the pipeline is built, so a tool
/// call can be dispatched through it like any API request (request id and log line, host and HTTPS
/// rules, authentication, rate limits, authorization, money-blindness, idempotency, the endpoint).
/// </summary>
public sealed class ApiPipeline
{
    private RequestDelegate? _entry;

    public RequestDelegate Entry => _entry ?? throw new InvalidOperationException("The request pipeline is not built yet.");

    /// <summary>Registers the capture; must come first in the pipeline so dispatched requests pass every layer.</summary>
    public static IApplicationBuilder Capture(IApplicationBuilder app)
    {
        var pipeline = app.ApplicationServices.GetRequiredService<ApiPipeline>();
        return app.Use(next =>
        {
            pipeline._entry = next;
            return next;
        });
    }
}

/// <summary>
/// Sends a tool's API request through <see cref="ApiPipeline"/> in this process, as the MCP request's
/// caller: the same <c>Authorization</c> header (so the token is checked again, and a revoked token
/// fails on its very next call), client address, scheme, host and request id. Its own DI scope and
/// response buffer; nothing is shared with the MCP request but those values and its cancellation.
/// </summary>
public sealed class InProcessApiClient(HttpContext mcpRequest, ApiPipeline pipeline, IServiceScopeFactory scopes) : IApiClient
{
    public async Task<ApiAnswer> SendAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var query = call.PathAndQuery.IndexOf('?');
        IHeaderDictionary headers = new HeaderDictionary();
        headers.Host = mcpRequest.Request.Headers.Host;
        headers.Authorization = mcpRequest.Request.Headers.Authorization;
        headers.Accept = "application/json";
        headers[RequestContextMiddleware.HeaderName] = mcpRequest.TraceIdentifier;
        var body = Encoding.UTF8.GetBytes(call.JsonBody ?? "");
        if (call.JsonBody is not null)
        {
            headers.ContentType = "application/json";
            headers.ContentLength = body.Length;
        }

        if (call.IdempotencyKey is not null)
        {
            headers[IdempotencyMiddleware.HeaderName] = call.IdempotencyKey;
        }

        var request = new HttpRequestFeature
        {
            Method = call.Method,
            Scheme = mcpRequest.Request.Scheme,
            Protocol = mcpRequest.Request.Protocol,
            PathBase = "",
            Path = query < 0 ? call.PathAndQuery : call.PathAndQuery[..query],
            QueryString = query < 0 ? "" : call.PathAndQuery[query..],
            Headers = headers,
            Body = new MemoryStream(body, writable: false),
        };
        var response = new BufferedResponse();
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response.BodyFeature);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = mcpRequest.Connection.Id,
            RemoteIpAddress = mcpRequest.Connection.RemoteIpAddress,
            RemotePort = mcpRequest.Connection.RemotePort,
            LocalIpAddress = mcpRequest.Connection.LocalIpAddress,
            LocalPort = mcpRequest.Connection.LocalPort,
        });

        await using var scope = scopes.CreateAsyncScope();
        var context = new DefaultHttpContext(features) { RequestServices = scope.ServiceProvider };
        try
        {
            await pipeline.Entry(context);
            await response.StartAsync();
        }
        finally
        {
            await response.CompleteAsync();
        }

        var retryAfter = response.Headers.RetryAfter.ToString();
        return new ApiAnswer(response.StatusCode, Encoding.UTF8.GetString(response.Buffer.ToArray()), retryAfter.Length > 0 ? retryAfter : null);
    }

    /// <summary>A response held in memory that runs its OnStarting and OnCompleted callbacks as a server would.</summary>
    private sealed class BufferedResponse : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];
        private bool _started;

        public BufferedResponse() => BodyFeature = new StreamResponseBodyFeature(Buffer);

        public MemoryStream Buffer { get; } = new();

        public IHttpResponseBodyFeature BodyFeature { get; }

        public override bool HasStarted => _started;

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

        public async Task StartAsync()
        {
            if (_started)
            {
                return;
            }

            _started = true;
            for (var i = _starting.Count - 1; i >= 0; i--)
            {
                await _starting[i].Callback(_starting[i].State);
            }
        }

        public async Task CompleteAsync()
        {
            for (var i = _completed.Count - 1; i >= 0; i--)
            {
                await _completed[i].Callback(_completed[i].State);
            }
        }
    }
}
