using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Hoursmith.Api.Tests.Support;

/// <summary>The real server in its own process on a free loopback port, with its stdout captured.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _stdout = new();
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseAddress { get; private set; } = "";

    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>A server as production runs it, on <paramref name="connectionString"/>, but on plain HTTP, without the demo or rate limits.</summary>
    public static Dictionary<string, string> ProductionEnvironment(string connectionString) => new(AppProcess.Environment(connectionString))
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Hoursmith__RequireHttps"] = "false",
        ["Hoursmith__SeedDemo"] = "false",
        ["RateLimits__Enabled"] = "false",
    };

    /// <summary>A client of this server that sends <paramref name="token"/>.</summary>
    public HttpClient ClientWith(string token)
    {
        // Held to the OpenAPI document like the in-process app's responses.
        var client = new HttpClient(new ResponseContractHandler()) { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var server = new ServerProcess(AppProcess.Start(["serve", "--urls", "http://127.0.0.1:0"], environment));
        var started = await Task.WhenAny(server._address.Task, Task.Delay(TimeSpan.FromSeconds(120)));
        if (started != server._address.Task)
        {
            var output = server.Output;
            await server.DisposeAsync();
            throw new TimeoutException("server did not start:\n" + output);
        }

        server.BaseAddress = await server._address.Task;
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stdout)
        {
            _stdout.AppendLine(line);
        }

        if (ListeningOn().Match(line) is { Success: true } match)
        {
            _address.TrySetResult(match.Groups[1].Value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex("Now listening on: (http://127\\.0\\.0\\.1:\\d+)")]
    private static partial Regex ListeningOn();
}
