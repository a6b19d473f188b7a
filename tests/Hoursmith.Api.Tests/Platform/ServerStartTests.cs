using System.Diagnostics;
using System.Text.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>What a Production server tells its operator at start, in its Production log format.</summary>
public sealed class ServerStartTests
{
    private const string NoHttpsWarning = "HTTPS is required (Hoursmith:RequireHttps) but this server listens on plain HTTP only";

    [Fact]
    public async Task A_server_that_requires_https_but_listens_on_plain_http_only_warns_once_at_start_in_json()
    {
        using var database = new TempDatabase();
        var environment = ServerProcess.ProductionEnvironment(database.ConnectionString);
        environment["Hoursmith__RequireHttps"] = "true";

        await using var server = await ServerProcess.StartAsync(environment);
        var warning = await LineContainingAsync(server, NoHttpsWarning);

        using var line = JsonDocument.Parse(warning);
        Assert.Equal("Warning", line.RootElement.GetProperty("LogLevel").GetString());
        Assert.Contains(server.BaseAddress, line.RootElement.GetProperty("Message").GetString());
        Assert.Single(server.Output.Split('\n'), l => l.Contains(NoHttpsWarning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_behind_a_trusted_proxy_does_not_warn()
    {
        using var database = new TempDatabase();
        var environment = ServerProcess.ProductionEnvironment(database.ConnectionString);
        environment["Hoursmith__RequireHttps"] = "true";
        environment["Hoursmith__TrustedProxies__0"] = "127.0.0.1";

        await using var server = await ServerProcess.StartAsync(environment);
        await LineContainingAsync(server, "Application started");
        // Start-up callbacks log in registration order; give a late one time to show.
        await Task.Delay(500);

        Assert.DoesNotContain(NoHttpsWarning, server.Output);
    }

    private static async Task<string> LineContainingAsync(ServerProcess server, string text)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (server.Output.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line.Trim();
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"no line with \"{text}\" in:\n{server.Output}");
    }
}
