using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Tokens;

/// <summary>New name for a token.</summary>
/// <param name="Name">The new name: 1 to 100 characters.</param>
public sealed record RenameTokenRequest([property: Field(Required = true, MaxLength = 100)] string? Name);

/// <summary>
/// Token self-service, so a leaked token can be killed from a script. Minting stays out of the
/// API (it happens in the app or the CLI). Everyone sees and revokes their own tokens; Owners
/// and Admins every token in the workspace (the permission table's reach). Tokens one may not
/// see answer 404, so ids do not leak.
/// </summary>
public static class TokenEndpoints
{
    internal static readonly ListSpec<ApiToken> List = new ListSpec<ApiToken>("tokens", t => t.CreatedAt, updatedAt: null)
        .SortBy("name", t => t.Name)
        .SortBy("lastUsedAt", t => t.LastUsedAt)
        .Search("name", t => t.Name)
        .IdFilter("memberId", t => t.MemberId);

    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapGet("/", ListTokens).RequirePermission(ApiResource.Tokens, ApiAction.Read).WithList(List)
            .WithName("ListTokens").WithSummary("List tokens").WithDescription("Lists your tokens (Owners and Admins: every token of the workspace), newest first. Never secrets.");
        tokens.MapGet("/{id:guid}", GetToken).RequirePermission(ApiResource.Tokens, ApiAction.Read)
            .WithName("GetToken").WithSummary("Get a token").WithDescription("One token, without its secret.");
        tokens.MapPatch("/{id:guid}", RenameToken).RequirePermission(ApiResource.Tokens, ApiAction.Write)
            .WithName("RenameToken").WithSummary("Rename a token").WithDescription("Renames a token.");
        tokens.MapDelete("/{id:guid}", RevokeToken).RequirePermission(ApiResource.Tokens, ApiAction.Write)
            .WithName("RevokeToken").WithSummary("Revoke a token").WithDescription("Revokes a token at once, on every server instance. Revoking twice is harmless.");
        return api;
    }

    internal static Task<Results<Ok<ListEnvelope<TokenView>>, ApiErrorResult>> ListTokens(
        ListQuery query, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return query.PageAsync(List, Visible(db, caller, ApiAction.Read).AsNoTracking(), caller, t => TokenView.From(t, now), cancellationToken);
    }

    internal static async Task<Results<Ok<DataEnvelope<TokenView>>, ApiErrorResult>> GetToken(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var token = await Visible(db, caller, ApiAction.Read).AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return token is null
            ? ApiErrors.NotFound("Token not found.")
            : TypedResults.Ok(new DataEnvelope<TokenView>(TokenView.From(token, time.GetUtcNow().UtcDateTime)));
    }

    internal static async Task<Results<Ok<DataEnvelope<TokenView>>, ApiErrorResult>> RenameToken(
        Guid id, JsonBody<RenameTokenRequest> body, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (TokenService.NameProblem(body.Value.Name) is { } problem)
        {
            return ApiErrors.Validation(new Dictionary<string, string> { ["name"] = problem });
        }

        var name = body.Value.Name!.Trim();

        var token = await Visible(db, caller, ApiAction.Write).FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return ApiErrors.NotFound("Token not found.");
        }

        token.Name = name;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<TokenView>(TokenView.From(token, time.GetUtcNow().UtcDateTime)));
    }

    internal static async Task<Results<NoContent, ApiErrorResult>> RevokeToken(
        Guid id, Caller caller, TokenService tokens, CancellationToken cancellationToken) =>
        await tokens.RevokeAsync(caller.Actor, id, cancellationToken) is null
            ? ApiErrors.NotFound("Token not found.")
            : TypedResults.NoContent();

    private static IQueryable<ApiToken> Visible(HoursmithDb db, Caller caller, ApiAction action) => TokenService.Visible(db.ApiTokens, caller.Actor, action);
}
