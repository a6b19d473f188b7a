using Hoursmith.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// The real application plus one probe route guarded by <c>clients:read</c> through the real
/// <see cref="Authentication.RequirePermission"/>, so the 403 path can be driven before the
/// resources that need it exist.
/// </summary>
public sealed class RoleProbeFactory : ApiFactory
{
    public const string ClientsReadProbe = "/api/v1/__probe/clients-read";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ProbeRoute>());
    }

    private sealed class ProbeRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.UseRouting();
            app.UseProbeAuthentication();
            app.UseAuthorization();
            app.UseEndpoints(endpoints => endpoints
                .MapGet(ClientsReadProbe, () => TypedResults.Ok(new { ok = true }))
                .RequirePermission(ApiResource.Clients, ApiAction.Read));
        };
    }
}
