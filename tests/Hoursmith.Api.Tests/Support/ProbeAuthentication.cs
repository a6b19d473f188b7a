using System.Security.Claims;
using Hoursmith.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// For probe routes that a test adds behind the app's pipeline with a second routing step: the
/// app's own authentication ran before any route matched, and reads a token only for a route that
/// needs one, so the probe reads it here, through the same authenticator.
/// </summary>
public static class ProbeAuthentication
{
    public static IApplicationBuilder UseProbeAuthentication(this IApplicationBuilder app) => app.Use(static async (context, next) =>
    {
        var outcome = await context.RequestServices.GetRequiredService<TokenAuthenticator>().AuthenticateAsync(context.Request.Headers.Authorization, context.RequestAborted);
        if (outcome.Caller is { } caller)
        {
            context.Features.Set(caller);
            context.User = new ClaimsPrincipal(new ClaimsIdentity(Authentication.Scheme));
        }

        await next(context);
    });
}
