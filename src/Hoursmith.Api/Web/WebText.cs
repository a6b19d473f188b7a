using System.Globalization;
using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Web;

/// <summary>How the pages word plans, roles and times.</summary>
public static class WebText
{
    public static string Plan(Plan plan, PlanStatus status) =>
        (plan switch { Data.Entities.Plan.Free => "Free", Data.Entities.Plan.Studio => "Studio", _ => "Agency" })
        + (status == PlanStatus.Lapsed ? " (lapsed)" : "");

    public static string Role(Role role) => role.ToString();

    /// <summary>The exact instant, as the tooltip and the page without script show it.</summary>
    public static string Utc(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The machine-readable instant of a <c>&lt;time&gt;</c> element, which the script shows in the browser's time zone.</summary>
    public static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"just now", "5 minutes ago", "3 days ago".</summary>
    public static string Ago(DateTime at, DateTime now)
    {
        var elapsed = now - at;
        return elapsed switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => Count((int)elapsed.TotalMinutes, "minute") + " ago",
            { TotalDays: < 1 } => Count((int)elapsed.TotalHours, "hour") + " ago",
            _ => Count((int)elapsed.TotalDays, "day") + " ago",
        };
    }

    private static string Count(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
