using Hoursmith.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hoursmith.Api.Web.Pages;

/// <summary><c>POST /sign-out</c> ends the session (a GET changes nothing and goes back to the page).</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => new RedirectResult(SettingsApiModel.Path);

    public async Task<IActionResult> OnPostAsync()
    {
        await Sessions.SignOutAsync(HttpContext);
        return new RedirectResult(Sessions.SignInPath);
    }
}
