using System.Net;
using Hoursmith.Api.Infrastructure.Auth;

namespace Hoursmith.Api.Infrastructure.Errors;

/// <summary>
/// What a web page answers for a bare error status (a form without its antiforgery token, an unknown
/// token id): a short HTML page saying what happened, never the API's JSON and never a stack trace.
/// </summary>
public static class ErrorPage
{
    public static bool IsFor(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<WebPageMetadata>() is not null;

    public static Task WriteAsync(HttpContext context, int statusCode)
    {
        var (title, message) = statusCode switch
        {
            StatusCodes.Status400BadRequest => ("This form has expired",
                "The form was sent without a valid security token, so nothing was changed. Reload the page and try again."),
            StatusCodes.Status403Forbidden => ("Not allowed", "Your role does not allow this."),
            StatusCodes.Status404NotFound => ("Not found", "There is nothing here, or you may not see it."),
            _ => ("Something went wrong", "Nothing was changed. Reload the page and try again."),
        };
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)} · Hoursmith</title>
            <link rel="stylesheet" href="/assets/site.css">
            </head>
            <body>
            <main id="main"><section class="card narrow">
            <h1>{WebUtility.HtmlEncode(title)}</h1>
            <p>{WebUtility.HtmlEncode(message)}</p>
            <p><a href="/settings/api">Back to Settings → API</a></p>
            <p class="hint">Request id: <code>{WebUtility.HtmlEncode(context.TraceIdentifier)}</code></p>
            </section></main>
            </body>
            </html>
            """, context.RequestAborted);
    }
}
