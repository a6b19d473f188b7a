using System.Security.Claims;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Infrastructure.Auth;

/// <summary>The member signed into the web pages, as read from the database on this request.</summary>
public sealed record SessionMember(
    Guid MemberId, string Name, string Email, Role Role, Guid WorkspaceId, string WorkspaceName, Plan Plan, PlanStatus PlanStatus)
{
    public Actor Actor => new(WorkspaceId, MemberId, Role);

    /// <summary>Whether the workspace's tokens work now (<c>apiAccess</c>); minting is allowed either way.</summary>
    public bool HasApiAccess => Workspace.HasApiAccess(Plan, PlanStatus);
}

/// <summary>
/// Web sessions (web.md): an ASP.NET Core cookie (HttpOnly, SameSite=Lax, Secure whenever HTTPS is
/// required, 8 hours sliding) that only the web pages accept; every API policy names the token
/// scheme alone. The cookie carries the member's id only: each request re-reads the member and their
/// workspace, so a removal signs them out and a role or plan change shows on the next page load.
/// The data-protection keys that sign it live in the database, shared by every instance.
/// </summary>
public static class Sessions
{
    public const string Scheme = "HoursmithSession";
    public const string PolicyName = "HoursmithSession";
    public const string SignInPath = "/sign-in";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private const string WorkspaceClaim = "hoursmith:workspace";

    public static AuthorizationPolicy Policy { get; } = new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build();

    /// <summary>The session cookie's name: with the <c>__Host-</c> prefix (Secure, whole site, this host only) when HTTPS is required.</summary>
    public static string CookieName(bool requireHttps) => requireHttps ? "__Host-hoursmith-session" : "hoursmith-session";

    public static IServiceCollection AddSessionAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme);
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<HoursmithOptions>>((cookie, hoursmith) =>
        {
            var requireHttps = hoursmith.Value.RequireHttps;
            cookie.Cookie.Name = CookieName(requireHttps);
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = requireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/";
            cookie.ExpireTimeSpan = Lifetime;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = SignInPath;
            cookie.AccessDeniedPath = SignInPath;
            cookie.Events.OnValidatePrincipal = ValidateAsync;
            // Straight to the page that explains how to sign in; every sign-in lands on Settings → API anyway.
            cookie.Events.OnRedirectToLogin = context => Redirect(context.HttpContext);
            cookie.Events.OnRedirectToAccessDenied = context => Redirect(context.HttpContext);
        });
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, Policy);
        // One application name, so every instance (whatever its content root) reads the same key ring.
        services.AddDataProtection().SetApplicationName("Hoursmith").PersistKeysToDbContext<HoursmithDb>();
        return services;
    }

    /// <summary>Starts a session for the member; the cookie holds their id and workspace, nothing else.</summary>
    public static Task SignInAsync(HttpContext context, Guid memberId, Guid workspaceId)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, memberId.ToString()), new Claim(WorkspaceClaim, workspaceId.ToString())],
            Scheme);
        return context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
    }

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>The member of this request's session (set while the cookie was validated), or null.</summary>
    public static SessionMember? MemberOf(HttpContext context) => context.Features.Get<SessionMember>();

    /// <summary>
    /// Makes sure the database holds a usable key before the server serves, under a lock on PostgreSQL,
    /// so instances started together on an empty database agree on one key instead of each making its own.
    /// </summary>
    public static async Task EnsureSigningKeyAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var keys = services.GetRequiredService<IKeyManager>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        bool HasUsableKey() => keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now);
        if (HasUsableKey())
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HoursmithDb>();
        await using var transaction = db.Database.IsPostgresStore() ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await DatabaseLocks.HoldAsync(db, "data-protection-key", cancellationToken);
        if (!HasUsableKey())
        {
            keys.CreateNewKey(now, now.AddDays(90));
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (!Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var memberId)
            || !Guid.TryParse(principal?.FindFirstValue(WorkspaceClaim), out var workspaceId))
        {
            await RejectAsync(context);
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<HoursmithDb>();
        var member = await db.Members.AsNoTracking()
            .Where(m => m.Id == memberId && m.WorkspaceId == workspaceId && m.RemovedAt == null)
            .Select(m => new SessionMember(m.Id, m.Name, m.Email, m.Role, m.WorkspaceId, m.Workspace.Name, m.Workspace.Plan, m.Workspace.PlanStatus))
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (member is null)
        {
            // Removed (or gone): signed out at once, and the cookie is deleted.
            await RejectAsync(context);
            return;
        }

        context.HttpContext.Features.Set(member);
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }

    private static Task Redirect(HttpContext context)
    {
        context.Response.Redirect(SignInPath);
        return Task.CompletedTask;
    }
}
