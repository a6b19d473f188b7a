using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// Put first in the pipeline of every <see cref="ApiFactory"/> app, so every client of it is covered, however
/// the test made it: holds each response to a documented operation back, checks it against
/// <see cref="ResponseContract"/>, and only then lets it out. A violation is thrown outside the app's own error
/// handling, so the test server hands it to the test that sent the request.
/// </summary>
public sealed class ResponseContractMiddleware : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(nextMiddleware => context => CheckAsync(context, nextMiddleware));
        next(app);
    };

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        var operation = ResponseContract.InScope(path) ? (await ResponseContract.ServedAsync()).Find(context.Request.Method, path) : null;
        if (operation is null)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var held = new MemoryStream();
        context.Response.Body = held;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var contract = await ResponseContract.ServedAsync();
        if (contract.Check(operation, context.Response.StatusCode, context.Response.ContentType, held.GetBuffer().AsSpan(0, (int)held.Length)) is { } violation)
        {
            throw new ResponseContractException(violation);
        }

        held.Position = 0;
        await held.CopyToAsync(original, context.RequestAborted);
    }
}
