using System.Text.Json;
using ModelContextProtocol.Client;

namespace Hoursmith.Api.Tests.Mcp;

/// <summary>
/// "Start my timer on the Acme site": the calls an assistant makes, in its order, on either transport.
/// The member must be on one project whose name contains "site" and not on another.
/// </summary>
public static class AssistantScenario
{
    public static async Task RunAsync(McpClient assistant, Guid memberId, string expectedProjectId)
    {
        var me = (await assistant.CallOkAsync("get_me")).GetProperty("data");
        Assert.Equal("MEMBER", me.GetProperty("role").GetString());

        var found = (await assistant.CallOkAsync("list_projects", new { search = "site" })).GetProperty("data");
        var project = Assert.Single(found.EnumerateArray());
        var projectId = project.GetProperty("id").GetString()!;
        Assert.Equal(expectedProjectId, projectId);

        var started = (await assistant.CallOkAsync("start_timer", new { projectId, note = "Homepage copy" })).GetProperty("data");
        Assert.Equal(JsonValueKind.Null, started.GetProperty("stoppedAt").ValueKind);
        Assert.Equal(memberId.ToString(), started.GetProperty("userId").GetString());

        var running = (await assistant.CallOkAsync("get_running_timer")).GetProperty("data");
        Assert.Equal(started.GetProperty("id").GetString(), running.GetProperty("id").GetString());

        var stopped = (await assistant.CallOkAsync("stop_timer")).GetProperty("data");
        Assert.Equal(started.GetProperty("id").GetString(), stopped.GetProperty("id").GetString());
        Assert.NotEqual(JsonValueKind.Null, stopped.GetProperty("stoppedAt").ValueKind);

        var entries = (await assistant.CallOkAsync("list_time_entries", new { projectId })).GetProperty("data");
        var entry = Assert.Single(entries.EnumerateArray());
        Assert.Equal(started.GetProperty("id").GetString(), entry.GetProperty("id").GetString());
        Assert.Equal("Homepage copy", entry.GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Number, entry.GetProperty("durationSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await assistant.CallOkAsync("get_running_timer")).GetProperty("data").ValueKind);
    }
}
