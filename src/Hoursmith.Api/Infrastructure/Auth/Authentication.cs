using System.Security.Claims;
using System.Text.Encodings.Web;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Infrastructure.Auth;

/// <summary>
/// Bearer-token authentication and permission-based authorization, wired into ASP.NET Core's
/// own pipeline. Status codes follow auth.md's order: 401, then 402 (plan), then 403 (role).
/// </summary>
public static class Authentication
{
    public const string Scheme = "HoursmithToken";

    public static IServiceCollection AddTokenAuthentication(this IServiceCollection services)
    {
        services.AddScoped<TokenAuthenticator>();
        services.AddSingleton<TokenAuthenticator.TokenRows>();
        services.TryAddSingleton<DatabaseVersion>();
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(Scheme, null);
        services.AddAuthorizationBuilder().SetDefaultPolicy(ApiPolicies.ApiAccess);
        services.AddSingleton<IAuthorizationHandler, ApiAccessHandler>();
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<IAuthorizationHandler, EntitlementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, EnvelopeAuthorizationResultHandler>();
        return services;
    }

    /// <summary>Requires an authenticated token of a workspace with API access, whose role holds the permission.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, ApiResource resource, ApiAction action)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ApiPolicies.For(new Permission(resource, action)));

    private sealed class TokenAuthenticationHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        private AuthenticationOutcome _outcome;

        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            // Only a route that needs a token reads one: a token sent to /health, the docs or an unknown
            // path is never looked up, so bad tokens there cost no database work (and prove nothing).
            if (Context.GetEndpoint() is not { } endpoint || !EndpointAuthorization.RequiresToken(endpoint.Metadata))
            {
                return AuthenticateResult.NoResult();
            }

            var authenticator = Context.RequestServices.GetRequiredService<TokenAuthenticator>();
            _outcome = await authenticator.AuthenticateAsync(Request.Headers.Authorization, Context.RequestAborted);
            if (_outcome.Caller is not { } caller)
            {
                return _outcome.TokenPresented ? AuthenticateResult.Fail(_outcome.Failure!) : AuthenticateResult.NoResult();
            }

            Context.Features.Set(caller);
            // The token is the principal's identity: an MCP session opened with one token refuses every other.
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, caller.TokenId.ToString())], Scheme.Name);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            await HandleAuthenticateOnceSafeAsync();
            var outcome = _outcome.Failure is null ? AuthenticationOutcome.Missing : _outcome;
            // RFC 6750: name the error only when a bearer token was actually presented.
            Response.Headers.WWWAuthenticate = outcome.TokenPresented ? "Bearer error=\"invalid_token\"" : "Bearer";
            await ErrorWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, outcome.Failure);
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            ErrorWriter.WriteAsync(Context, StatusCodes.Status403Forbidden);
    }

    private sealed class ApiAccessHandler : AuthorizationHandler<ApiAccessRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiAccessRequirement requirement)
        {
            if (CallerOf(context) is { } caller && Workspace.HasApiAccess(caller.Plan, caller.PlanStatus))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
        {
            if (CallerOf(context) is { } caller && PermissionTable.Allows(caller.Role, requirement.Permission))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class EntitlementHandler : AuthorizationHandler<EntitlementRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, EntitlementRequirement requirement)
        {
            if (CallerOf(context) is { } caller && requirement.Entitlement.HeldBy(caller.Plan, caller.PlanStatus))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    private static Caller? CallerOf(AuthorizationHandlerContext context) =>
        (context.Resource as HttpContext)?.Features.Get<Caller>();

    /// <summary>Turns an authorization failure into 402 (plan first) or 403 (role) in the envelope.</summary>
    private sealed class EnvelopeAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure && context.Features.Get<Caller>() is { } caller)
            {
                // A feature of a higher plan names that feature (also to a Free workspace); a lapsed plan says it lapsed.
                if (caller.PlanStatus == PlanStatus.Active && failure.FailedRequirements.OfType<EntitlementRequirement>().FirstOrDefault() is { } feature)
                {
                    var plan = WireEnum<Plan>.Format(feature.Entitlement.RequiredPlan);
                    return ErrorWriter.WriteAsync(context, StatusCodes.Status402PaymentRequired, new ApiError(ErrorCodes.ForbiddenPlan,
                        $"This feature ({feature.Entitlement.Feature}) needs the {char.ToUpperInvariant(plan[0])}{plan[1..]} plan; this workspace is on {WireEnum<Plan>.Format(caller.Plan)}.")
                    {
                        RequiredPlan = plan,
                        Feature = feature.Entitlement.Feature,
                    });
                }

                if (failure.FailedRequirements.OfType<ApiAccessRequirement>().Any())
                {
                    var why = caller.Plan == Plan.Free ? "this workspace is on the Free plan" : "this workspace's plan has lapsed";
                    return ErrorWriter.WriteAsync(context, StatusCodes.Status402PaymentRequired, new ApiError(ErrorCodes.ForbiddenPlan,
                        $"API access needs an active Studio or Agency plan; {why}.")
                    {
                        RequiredPlan = "studio",
                        Feature = "apiAccess",
                    });
                }

                if (failure.FailedRequirements.OfType<PermissionRequirement>().FirstOrDefault() is { } missing)
                {
                    return ErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, new ApiError(ErrorCodes.ForbiddenScope,
                        $"This token's role ({WireEnum<Role>.Format(caller.Role)}) lacks the {missing.Permission.Scope} permission."));
                }
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}

/// <summary>The workspace's plan includes API access (<c>apiAccess</c>).</summary>
public sealed class ApiAccessRequirement : IAuthorizationRequirement
{
    public static ApiAccessRequirement Instance { get; } = new();
}

public sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

/// <summary>The workspace's plan includes a feature beyond API access (the permission table's entitlements).</summary>
public sealed record EntitlementRequirement(Entitlement Entitlement) : IAuthorizationRequirement;

/// <summary>Policies built once: API access for every <c>/api/v1</c> route, plus one per permission.</summary>
public static class ApiPolicies
{
    // Every API policy names the token scheme alone: a web session cookie never authenticates /api/v1.
    public static AuthorizationPolicy ApiAccess { get; } = new AuthorizationPolicyBuilder(Authentication.Scheme)
        .RequireAuthenticatedUser()
        .AddRequirements(ApiAccessRequirement.Instance)
        .Build();

    private static readonly Dictionary<Permission, AuthorizationPolicy> s_byPermission =
        Enum.GetValues<ApiResource>()
            .SelectMany(r => Enum.GetValues<ApiAction>().Select(a => new Permission(r, a)))
            .ToDictionary(p => p, p => new AuthorizationPolicyBuilder(Authentication.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(PermissionTable.EntitlementOf(p.Resource) is { } entitlement
                    ? [ApiAccessRequirement.Instance, new EntitlementRequirement(entitlement), new PermissionRequirement(p)]
                    : [ApiAccessRequirement.Instance, new PermissionRequirement(p)])
                .Build());

    public static AuthorizationPolicy For(Permission permission) => s_byPermission[permission];
}
