using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Web;

/// <summary>
/// The server-rendered web pages (web.md): Settings → API and the sign-in pages, as Razor Pages in the
/// same executable. They use a session cookie (<see cref="Sessions"/>), an antiforgery token in every
/// form, and a stylesheet and script served from this origin; nothing is loaded from anywhere else.
/// </summary>
public static class WebPages
{
    public const string AssetsPath = "/assets";

    public static IServiceCollection AddWebPages(this IServiceCollection services)
    {
        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Web/Pages";
            pages.Conventions.AuthorizeFolder("/Settings", Sessions.PolicyName);
            pages.Conventions.AuthorizePage("/SignOut", Sessions.PolicyName);
            pages.Conventions.AllowAnonymousToPage("/SignIn");
            pages.Conventions.Add(new WebPageConvention());
        });
        services.AddSessionAuthentication();
        services.AddAntiforgery();
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>().Configure<IOptions<HoursmithOptions>>((antiforgery, hoursmith) =>
        {
            var requireHttps = hoursmith.Value.RequireHttps;
            antiforgery.Cookie.Name = requireHttps ? "__Host-hoursmith-antiforgery" : "hoursmith-antiforgery";
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = requireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "__antiforgery";
            // SecurityHeaders sends X-Frame-Options: DENY on every page.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        // One-time values between a POST and the page it redirects to (a new token, a sign-in link, "revoked"):
        // a cookie protected by the same keys, deleted by the request that reads it.
        services.AddOptions<CookieTempDataProviderOptions>().Configure<IOptions<HoursmithOptions>>((tempData, hoursmith) =>
        {
            var requireHttps = hoursmith.Value.RequireHttps;
            tempData.Cookie.Name = requireHttps ? "__Host-hoursmith-once" : "hoursmith-once";
            tempData.Cookie.HttpOnly = true;
            tempData.Cookie.SameSite = SameSiteMode.Lax;
            tempData.Cookie.SecurePolicy = requireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            tempData.Cookie.IsEssential = true;
        });
        return services;
    }

    /// <summary>The pages' stylesheet and script, from the folder beside the executable.</summary>
    public static IApplicationBuilder UseWebAssets(this IApplicationBuilder app) => app.UseStaticFiles(new StaticFileOptions
    {
        RequestPath = AssetsPath,
        FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "Web", "Assets")),
        OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
    });

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>Every page is marked as a web page (no token, no API limiter) and never cached.</summary>
    private sealed class WebPageConvention : IPageApplicationModelConvention
    {
        public void Apply(PageApplicationModel model)
        {
            model.EndpointMetadata.Add(WebPageMetadata.Instance);
            model.Filters.Add(new NoStoreFilter());
        }
    }

    private sealed class NoStoreFilter : Microsoft.AspNetCore.Mvc.Filters.IResultFilter
    {
        public void OnResultExecuting(Microsoft.AspNetCore.Mvc.Filters.ResultExecutingContext context) =>
            context.HttpContext.Response.Headers.CacheControl = "no-store";

        public void OnResultExecuted(Microsoft.AspNetCore.Mvc.Filters.ResultExecutedContext context)
        {
        }
    }
}
