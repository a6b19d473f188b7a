using System.Text.Json;
using Hoursmith.Api.Mcp;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Unit;

/// <summary>Turning OpenAPI operations into MCP tool schemas (over the committed document).</summary>
public class ToolCatalogTests
{
    private static readonly ToolCatalog s_catalog = ToolCatalog.FromOpenApi(File.ReadAllText(Path.Combine(AppProcess.RepositoryRoot, "docs", "openapi.json")));

    [Fact]
    public void Every_schema_is_self_contained_json_schema_without_openapi_keywords()
    {
        foreach (var tool in s_catalog.Tools)
        {
            foreach (var schema in new[] { tool.InputSchema, tool.OutputSchema!.Value })
            {
                var text = schema.GetRawText();
                Assert.DoesNotContain("#/components/", text);
                Assert.DoesNotContain("\"x-", text);
                Assert.DoesNotContain("\"example\"", text);
                var defs = schema.TryGetProperty("$defs", out var d) ? d.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
                foreach (var reference in References(schema))
                {
                    Assert.StartsWith("#/$defs/", reference);
                    Assert.Contains(reference["#/$defs/".Length..], defs);
                }
            }

            Assert.Empty(References(tool.InputSchema)); // inputs are inlined: nothing for an assistant to chase
        }
    }

    [Fact]
    public void Path_ids_are_required_uuids_except_stop_timers_which_defaults_to_the_running_timer()
    {
        var getTask = s_catalog.Tools.Single(t => t.Name == "get_task").InputSchema;
        Assert.Equal(["id"], getTask.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("list_tasks", getTask.GetProperty("properties").GetProperty("id").GetProperty("description").GetString());
        var stop = s_catalog.Tools.Single(t => t.Name == "stop_timer").InputSchema;
        Assert.False(stop.TryGetProperty("required", out _));
        Assert.Equal("uuid", stop.GetProperty("properties").GetProperty("id").GetProperty("format").GetString());
    }

    [Fact]
    public void Output_schemas_keep_only_json_schemas_own_formats_and_inputs_keep_decimal()
    {
        var createProject = s_catalog.Tools.Single(t => t.Name == "create_project");
        Assert.Equal("decimal", createProject.InputSchema.GetProperty("properties").GetProperty("hourlyRate").GetProperty("format").GetString());
        var view = createProject.OutputSchema!.Value.GetProperty("$defs").GetProperty("ProjectView").GetProperty("properties");
        Assert.False(view.GetProperty("hourlyRate").TryGetProperty("format", out _));
        Assert.Equal("uuid", view.GetProperty("id").GetProperty("format").GetString());
    }

    [Fact]
    public void Idempotency_keys_differ_by_session_request_and_tool_and_fit_the_apis_header()
    {
        var key = ToolRunner.IdempotencyKeyFor("session-a", "7", "create_client");
        Assert.Equal(key, ToolRunner.IdempotencyKeyFor("session-a", "7", "create_client"));
        Assert.NotEqual(key, ToolRunner.IdempotencyKeyFor("session-b", "7", "create_client"));
        Assert.NotEqual(key, ToolRunner.IdempotencyKeyFor("session-a", "8", "create_client"));
        Assert.NotEqual(key, ToolRunner.IdempotencyKeyFor("session-a", "7", "create_task"));
        Assert.Matches("^mcp-[0-9a-f]{48}$", key);
    }

    private static IEnumerable<string> References(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "$ref" ? [p.Value.GetString()!] : References(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(References),
        _ => [],
    };
}
