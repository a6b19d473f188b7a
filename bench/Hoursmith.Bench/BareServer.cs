using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hoursmith.Bench;

/// <summary>
/// The request floor: a bare ASP.NET Core app (<c>CreateSlimBuilder</c>, no logging, no middleware)
/// whose one route answers a small JSON object. Timed with wrk beside the API in bench/overhead.sh,
/// it tells what our pipeline adds to what Kestrel and routing cost anyway.
/// </summary>
internal static class BareServer
{
    public static async Task<object> RunAsync(Options options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Required("urls"));
        var app = builder.Build();
        app.MapGet("/bare", () => TypedResults.Ok(new BareResponse("bare", "ok")));
        await app.RunAsync();
        return new { stopped = true };
    }

    internal sealed record BareResponse(string Object, string Status);
}
