using System.Globalization;
using Hoursmith.Api.Administration;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Tokens;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Web.Pages;

/// <summary>
/// Settings → API (web.md): the signed-in member's tokens (Owners and Admins: every token of the
/// workspace), minting one for themself (shown once), revoking with a confirmation step, and for Owners
/// and Admins a sign-in link for a member. Minting, listing and revoking go through
/// <see cref="TokenService"/>, the same code and permission rule as the CLI and <c>/api/v1/tokens</c>.
/// A POST that changes something redirects (post/redirect/get); what must be shown once (a new token,
/// a sign-in link) travels to the next page load in the one-time cookie and is gone on reload.
/// </summary>
public sealed class SettingsApiModel(
    TokenService tokens, SignInLinks signInLinks, WorkspaceAdministration administration, TimeProvider time, IOptions<HoursmithOptions> options, IServer server) : PageModel
{
    public const string Path = "/settings/api";

    private const string NewTokenKey = "new-token";
    private const string NewTokenNameKey = "new-token-name";
    private const string NewLinkKey = "new-link";
    private const string NewLinkMemberKey = "new-link-member";
    private const string NewLinkExpiresKey = "new-link-expires";
    private const string NoticeKey = "notice";

    public SessionMember Session { get; private set; } = null!;

    public List<TokenWithMember> Tokens { get; private set; } = [];

    /// <summary>Owners and Admins: the token table has a Member column, and sign-in links can be made for members.</summary>
    public bool SeesWorkspace { get; private set; }

    public List<Member> Members { get; private set; } = [];

    public DateTime Now { get; private set; }

    public string BaseUrl { get; private set; } = "";

    public TokenWithMember? ConfirmingRevoke { get; private set; }

    public string? NewToken { get; private set; }
    public string? NewTokenName { get; private set; }
    public string? NewLink { get; private set; }
    public string? NewLinkMember { get; private set; }
    public DateTime? NewLinkExpiresAt { get; private set; }
    public string? Notice { get; private set; }

    [BindProperty]
    public string? TokenName { get; set; }

    [BindProperty]
    public string? ExpiresOn { get; set; }

    public string? TokenNameError { get; private set; }
    public string? ExpiresOnError { get; private set; }
    public string? SignInLinkError { get; private set; }

    public string Today => DateOnly.FromDateTime(Now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(Guid? revoke)
    {
        await LoadAsync();
        NewToken = TempData[NewTokenKey] as string;
        NewTokenName = TempData[NewTokenNameKey] as string;
        NewLink = TempData[NewLinkKey] as string;
        NewLinkMember = TempData[NewLinkMemberKey] as string;
        NewLinkExpiresAt = TempData[NewLinkExpiresKey] is string expires && DateTime.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
        Notice = TempData[NoticeKey] as string;
        if (revoke is { } id)
        {
            ConfirmingRevoke = Tokens.FirstOrDefault(t => t.Token.Id == id && t.Token.RevokedAt is null);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        await LoadAsync();
        TokenNameError = TokenService.NameProblem(TokenName) switch
        {
            "required" => "Give the token a name, e.g. “Zapier”.",
            "too_long" => $"Use at most {TokenService.NameMaxLength} characters.",
            "invalid" => "The name cannot contain control characters.",
            _ => null,
        };
        DateOnly? expiresOn = null;
        if (!string.IsNullOrWhiteSpace(ExpiresOn))
        {
            if (!DateOnly.TryParseExact(ExpiresOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                ExpiresOnError = "Enter a date as YYYY-MM-DD.";
            }
            else if (TokenService.ExpiresAt(day, Now) is null)
            {
                ExpiresOnError = "Choose today or a later date.";
            }
            else
            {
                expiresOn = day;
            }
        }

        if (TokenNameError is not null || ExpiresOnError is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var minted = await tokens.MintAsync(Session.WorkspaceId, Session.MemberId, TokenName!, options.Value.TokenEnvironment, expiresOn, HttpContext.RequestAborted);
        TempData[NewTokenKey] = minted.Token;
        TempData[NewTokenNameKey] = minted.Record.Name;
        return new RedirectResult(Path);
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid tokenId)
    {
        await LoadAsync();
        var revoked = await tokens.RevokeAsync(Session.Actor, tokenId, HttpContext.RequestAborted);
        if (revoked is null)
        {
            return NotFound();
        }

        TempData[NoticeKey] = $"Token “{revoked.Name}” was revoked. Requests with it are refused from now on.";
        return new RedirectResult(Path);
    }

    public async Task<IActionResult> OnPostSignInLinkAsync(Guid memberId)
    {
        await LoadAsync();
        if (!SeesWorkspace)
        {
            return Forbid();
        }

        var member = Members.FirstOrDefault(m => m.Id == memberId);
        if (member is null)
        {
            SignInLinkError = "Choose a member of this workspace.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        try
        {
            var link = await signInLinks.CreateAsync(Session.WorkspaceId, member.Id, SignInLinks.DefaultMinutes, Session.MemberId, HttpContext.RequestAborted);
            TempData[NewLinkKey] = link.UrlOn(BaseUrl);
            TempData[NewLinkMemberKey] = member.Name;
            TempData[NewLinkExpiresKey] = WebText.Iso(link.ExpiresAt);
        }
        catch (AdministrationException refused)
        {
            SignInLinkError = refused.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        return new RedirectResult(Path);
    }

    private async Task LoadAsync()
    {
        // The policy authenticated the session, and validating it read the member; it is there.
        Session = Sessions.MemberOf(HttpContext) ?? throw new InvalidOperationException("No session member on an authorized page.");
        Now = time.GetUtcNow().UtcDateTime;
        BaseUrl = PublicAddress.Resolve(options.Value.PublicBaseUrl, server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        Tokens = await tokens.ListAsync(Session.Actor, HttpContext.RequestAborted);
        // Whoever may revoke every token of the workspace (Owners and Admins, by the permission table) may also
        // sign a member in: both are power over every member's tokens.
        SeesWorkspace = Session.Actor.ReachOf(new Permission(ApiResource.Tokens, ApiAction.Write)) == Reach.Workspace;
        if (SeesWorkspace)
        {
            Members = await administration.ListMembersAsync(Session.WorkspaceId, HttpContext.RequestAborted);
        }
    }

    public string StatusOf(ApiToken token) =>
        token.RevokedAt is not null ? "revoked" : token.ExpiresAt <= Now ? "expired" : "active";

    public TokenEnvironment Environment => options.Value.TokenEnvironment;

    public string CurlLine(string token) => $"curl {BaseUrl}/api/v1/me -H \"Authorization: Bearer {token}\"";
}
