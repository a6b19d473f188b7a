using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Infrastructure.Http;

/// <summary>
/// Security headers for every response class, set when the response starts so that responses
/// written by the exception handler, status-code pages and the host filter carry them too:
/// <c>nosniff</c> everywhere; <c>no-store</c> on the API and MCP (token-bearing data must not sit in
/// caches); HSTS on HTTPS responses when HTTPS is required; on HTML pages a same-origin CSP whose
/// inline scripts run only with this response's nonce, and no framing.
/// </summary>
public static class SecurityHeaders
{
    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    private const string NonceKey = "Hoursmith.SecurityHeaders.ScriptNonce";

    private static readonly PathString[] s_noStorePaths = ["/api/v1", "/mcp"];
    private static readonly PathString s_docsPath = "/api-docs";
    private static readonly Func<object, Task> s_apply = state => Apply((HttpContext)state, hsts: false);
    private static readonly Func<object, Task> s_applyWithHsts = state => Apply((HttpContext)state, hsts: true);

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var hsts = app.ApplicationServices.GetRequiredService<IOptions<HoursmithOptions>>().Value.RequireHttps;
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(hsts ? s_applyWithHsts : s_apply, context);
            return next(context);
        });
    }

    /// <summary>
    /// A fresh nonce for this response's inline scripts (made on first use); an HTML page puts it on
    /// its <c>&lt;script nonce="…"&gt;</c> tags and the CSP names it.
    /// </summary>
    public static string ScriptNonce(HttpContext context)
    {
        if (context.Items[NonceKey] is not string nonce)
        {
            // URL-safe, no padding: nothing an HTML writer would escape in the attribute (a "+" became &#x2B;).
            nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
        }

        return nonce;
    }

    /// <summary>
    /// The policy for HTML pages: everything from this origin only; inline scripts only with the nonce.
    /// Our own pages (Settings → API) have no inline styles, so for them styles come from this origin only
    /// (<paramref name="inlineStyles"/> false); the API reference's library injects style elements it cannot nonce.
    /// </summary>
    internal static string ContentSecurityPolicy(string? nonce, bool inlineStyles = true) =>
        "default-src 'self'; "
        + (nonce is null ? "script-src 'self'; " : $"script-src 'self' 'nonce-{nonce}'; ")
        + (inlineStyles ? "style-src 'self' 'unsafe-inline'; " : "style-src 'self'; ")
        + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static Task Apply(HttpContext context, bool hsts)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";

        foreach (var path in s_noStorePaths)
        {
            if (request.Path.StartsWithSegments(path))
            {
                headers.CacheControl = "no-store";
                break;
            }
        }

        // The standard ignores HSTS over plain HTTP (an attacker could inject it), so it is sent on HTTPS only.
        if (hsts && request.IsHttps)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }

        if (IsPage(context))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Items[NonceKey] as string, inlineStyles: request.Path.StartsWithSegments(s_docsPath));
            headers.XFrameOptions = "DENY";
        }

        return Task.CompletedTask;
    }

    private static bool IsPage(HttpContext context) =>
        context.Request.Path.StartsWithSegments(s_docsPath)
        || (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ?? false);
}
