using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Hoursmith.Api.Infrastructure.Errors;

/// <summary>
/// Puts every error in the envelope: exceptions (bad JSON, body too large, bugs) through an
/// <see cref="IExceptionHandler"/>, and bare status codes (unknown route, wrong method, 415)
/// through status-code pages.
/// </summary>
public static partial class ErrorHandling
{
    public static IServiceCollection AddErrorEnvelope(this IServiceCollection services)
    {
        services.AddExceptionHandler<EnvelopeExceptionHandler>();
        // Binding failures throw, so the exception handler can say precisely what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// A 400 whose message is written for the client and shown as is (a framework exception's text
    /// is not: it may describe the server). Thrown where a request cannot be read at all.
    /// </summary>
    public static BadHttpRequestException BadRequest(string message, Exception? inner = null)
    {
        var exception = inner is null
            ? new BadHttpRequestException(message, StatusCodes.Status400BadRequest)
            : new BadHttpRequestException(message, StatusCodes.Status400BadRequest, inner);
        exception.Data[ClientMessageKey] = true;
        return exception;
    }

    private const string ClientMessageKey = "Hoursmith.ClientMessage";

    public static IApplicationBuilder UseErrorEnvelope(this IApplicationBuilder app)
    {
        // The IExceptionHandler answers every exception; this fallback only satisfies the middleware.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => ErrorWriter.WriteAsync(context, StatusCodes.Status500InternalServerError),
        });
        app.UseStatusCodePages(context => ErrorPage.IsFor(context.HttpContext)
            ? ErrorPage.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode)
            : ErrorWriter.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode));
        return app;
    }

    private sealed partial class EnvelopeExceptionHandler(ILogger<EnvelopeExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is OperationCanceledException or BadHttpRequestException && httpContext.RequestAborted.IsCancellationRequested)
            {
                // The client went away (mid-body, say); nobody is left to read a response.
                return true;
            }

            if (exception is BadHttpRequestException badRequest)
            {
                try
                {
                    await ErrorWriter.WriteAsync(httpContext, badRequest.StatusCode, DescribeBadRequest(badRequest));
                }
                catch (Exception) when (httpContext.RequestAborted.IsCancellationRequested)
                {
                    // A body cut short by a client that hung up: the 400 has no one to go to, and it is no server error.
                }

                return true;
            }

            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            await ErrorWriter.WriteAsync(httpContext, StatusCodes.Status500InternalServerError);
            return true;
        }

        private static string? DescribeBadRequest(BadHttpRequestException exception)
        {
            if (exception.Data.Contains(ClientMessageKey))
            {
                return exception.Message;
            }

            if (exception.InnerException is JsonException json)
            {
                // Path and line come from System.Text.Json and name only the client's own document.
                return json.Path is { Length: > 0 } path
                    ? $"The request body is not valid JSON, or a field has the wrong type (at {path})."
                    : "The request body is not valid JSON.";
            }

            return exception.StatusCode switch
            {
                StatusCodes.Status400BadRequest when exception.Message.Contains("body was not provided", StringComparison.Ordinal)
                    => "A JSON request body is required.",
                StatusCodes.Status400BadRequest => "The request is malformed: a parameter or the body could not be read.",
                _ => null,
            };
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
        private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
    }
}
