using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The main job as a newcomer meets it: a real server process on an empty database seeds the demo
/// workspace and prints one Owner token, and the docs' three samples work with it unchanged but
/// for the host.
/// </summary>
public sealed partial class ExamplesTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private ServerProcess _server = null!;
    private string _token = "";

    private Dictionary<string, string> ServerEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Hoursmith"] = _database.ConnectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        TestRedis.AddTo(environment);
        return environment;
    }

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(ServerEnvironment());
        var deadline = Stopwatch.StartNew();
        // The banner is one write but arrives line by line: wait for its last line (the curl one), not just the token.
        while (!(DemoToken().Match(_server.Output) is { Success: true } token && _server.Output.Contains($"Bearer {token.Value}\"", StringComparison.Ordinal))
            && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        _token = DemoToken().Match(_server.Output).Value;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _database.Dispose();
    }

    [GeneratedRegex("hsk_test_[0-9a-f]{12}_[0-9A-Za-z]{32}")]
    private static partial Regex DemoToken();

    [Fact]
    public async Task A_fresh_start_prints_one_owner_token_with_a_ready_curl_line_and_never_again()
    {
        Assert.NotEqual("", _token);
        Assert.Contains($"curl {_server.BaseAddress}/api/v1/me -H \"Authorization: Bearer {_token}\"", _server.Output);
        Assert.Single(DemoToken().Matches(_server.Output).Select(m => m.Value).Distinct());

        // A second start on the same database seeds nothing and prints no token.
        await using var again = await ServerProcess.StartAsync(ServerEnvironment());
        await Task.Delay(500);
        Assert.DoesNotMatch(DemoToken(), again.Output);
    }

    [Fact]
    public void Development_logs_are_readable_lines_not_json()
    {
        Assert.Contains("info: Microsoft.Hosting.Lifetime[14] Now listening on: " + _server.BaseAddress, _server.Output);
        Assert.DoesNotContain("\"Timestamp\"", _server.Output);
    }

    [Theory]
    [InlineData("bash", "me.sh")]
    [InlineData("node", "me.mjs")]
    [InlineData("python3", "me.py")]
    public async Task The_documented_samples_print_workspace_role_and_plan(string interpreter, string file)
    {
        var source = await File.ReadAllTextAsync(Path.Combine(AppProcess.RepositoryRoot, "examples", file));
        Assert.Contains("http://localhost:5080/api/v1/me", source);
        var script = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}-{file}");
        await File.WriteAllTextAsync(script, source.Replace("http://localhost:5080", _server.BaseAddress, StringComparison.Ordinal));
        try
        {
            var info = new ProcessStartInfo(interpreter, [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["HOURSMITH_API_TOKEN"] = _token;
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == 0, $"{interpreter} {file} exited {process.ExitCode}: {errors}");
            Assert.Contains("Demo Studio", output);
            Assert.Contains("OWNER", output);
            Assert.Contains("studio", output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task The_common_workflow_script_logs_time_both_ways_and_reads_it_back()
    {
        var (exitCode, output, errors) = await RunWorkflowAsync(_token);

        Assert.True(exitCode == 0, $"common-workflow.sh exited {exitCode}: {errors}\n{output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Matches(WorkflowLine("client   ", "Globex"), lines[0]);
        Assert.Matches(WorkflowLine("project  ", "Website redesign"), lines[1]);
        Assert.Equal("running  0", lines[2]);
        // Both entries read back as 90 minutes: durationSeconds 5400 and duration "1h30m" are the same time.
        Assert.Matches(WorkflowLine("entry    ", "2026-06-11 5400s billable=true Homepage layout"), lines[3]);
        Assert.Matches(WorkflowLine("entry    ", "2026-06-11 5400s billable=true Homepage layout"), lines[4]);
        Assert.NotEqual(lines[3], lines[4]);
    }

    [Fact]
    public async Task The_common_workflow_script_stops_at_a_refused_call_with_the_API_s_error()
    {
        var (exitCode, output, errors) = await RunWorkflowAsync("hsk_test_000000000000_00000000000000000000000000000000");

        Assert.NotEqual(0, exitCode);
        Assert.Equal("", output);
        Assert.Contains("HTTP 401: {\"code\":\"unauthenticated\"", errors);
    }

    /// <summary>Runs examples/common-workflow.sh against this server with only curl, jq and the token.</summary>
    private async Task<(int ExitCode, string Output, string Errors)> RunWorkflowAsync(string token)
    {
        var script = Path.Combine(AppProcess.RepositoryRoot, "examples", "common-workflow.sh");
        var info = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["HOURSMITH_API_TOKEN"] = token;
        info.Environment["HOURSMITH_API_BASE"] = _server.BaseAddress + "/api/v1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    private static Regex WorkflowLine(string label, string rest) =>
        new($"^{Regex.Escape(label)}[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}} {Regex.Escape(rest)}$");
}
