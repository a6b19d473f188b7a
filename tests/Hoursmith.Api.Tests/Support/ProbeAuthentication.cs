using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// For probe routes that a test adds behind the app's pipeline with a second routing step: the
/// app's own authentication ran before any route matched, and its token handler remembered for this
/// request that no token was needed. A fresh request scope gives the probe's authorization a fresh
/// handler (the API's policies name the token scheme, so they authenticate again), which now sees
/// the probe's endpoint and reads the token through the real authenticator.
/// </summary>
public static class ProbeAuthentication
{
    public static IApplicationBuilder UseProbeAuthentication(this IApplicationBuilder app) => app.Use(static async (context, next) =>
    {
        var original = context.RequestServices;
        await using var scope = original.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        try
        {
            await next(context);
        }
        finally
        {
            context.RequestServices = original;
        }
    });
}
