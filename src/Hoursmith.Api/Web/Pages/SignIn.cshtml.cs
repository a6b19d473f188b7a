using System.Globalization;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hoursmith.Api.Web.Pages;

public enum SignInOutcome { NoLink, Ready, Used, Expired, Refused, TooManyAttempts }

/// <summary>
/// <c>GET /sign-in/{code}</c> shows one "Sign in" button (so link scanners in mail and chat clients,
/// which only GET, never use the link up); pressing it POSTs, which consumes the link and starts the
/// session. Both count against the client IP's sign-in budget (the API's unauthenticated budget, in a
/// bucket of its own), so codes cannot be guessed at speed.
/// </summary>
public sealed class SignInModel(SignInLinks links, IRateLimitStore limits, RateLimitPolicies policies, TimeProvider time) : PageModel
{
    public SignInOutcome Outcome { get; private set; }

    public long RetryAfterSeconds { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code)
    {
        if (code is null)
        {
            Outcome = SignInOutcome.NoLink;
            return Page();
        }

        if (!await WithinBudgetAsync())
        {
            return Page();
        }

        return Show(await links.CheckAsync(code, HttpContext.RequestAborted));
    }

    public async Task<IActionResult> OnPostAsync(string? code)
    {
        if (!await WithinBudgetAsync())
        {
            return Page();
        }

        var attempt = await links.ConsumeAsync(code, HttpContext.RequestAborted);
        if (attempt.State != SignInLinkState.Valid)
        {
            return Show(attempt.State);
        }

        await Sessions.SignInAsync(HttpContext, attempt.MemberId, attempt.WorkspaceId);
        return new RedirectResult(SettingsApiModel.Path);
    }

    private PageResult Show(SignInLinkState state)
    {
        (Outcome, Response.StatusCode) = state switch
        {
            SignInLinkState.Valid => (SignInOutcome.Ready, StatusCodes.Status200OK),
            SignInLinkState.Used => (SignInOutcome.Used, StatusCodes.Status410Gone),
            SignInLinkState.Expired => (SignInOutcome.Expired, StatusCodes.Status410Gone),
            _ => (SignInOutcome.Refused, StatusCodes.Status400BadRequest),
        };
        return Page();
    }

    private async Task<bool> WithinBudgetAsync()
    {
        if (!policies.Enabled)
        {
            return true;
        }

        var now = time.GetUtcNow().UtcTicks;
        var decision = await limits.AcquireAsync(RateLimitKey.ForSignIn(HttpContext.Connection.RemoteIpAddress), policies.Unauthenticated, now, HttpContext.RequestAborted);
        if (decision.Allowed)
        {
            return true;
        }

        RetryAfterSeconds = RateLimiting.Seconds(decision.RetryAfterTicks);
        Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Outcome = SignInOutcome.TooManyAttempts;
        return false;
    }
}
