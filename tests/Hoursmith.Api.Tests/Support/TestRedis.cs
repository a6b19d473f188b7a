using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// Redis for tests. With <c>HOURSMITH_TEST_REDIS</c> (e.g. <c>127.0.0.1:56379</c>) every <see cref="ApiFactory"/>
/// and started server uses it, each under a key prefix of its own: the whole suite on the shared store.
/// </summary>
public static class TestRedis
{
    /// <summary>The server <c>scripts/services start</c> runs.</summary>
    public const string DefaultServer = "127.0.0.1:56379";

    /// <summary>The Redis every test host uses, when the run asks for one.</summary>
    public static string? FromEnvironment { get; } =
        Environment.GetEnvironmentVariable("HOURSMITH_TEST_REDIS") is { Length: > 0 } configured ? configured : null;

    /// <summary>The Redis of tests that need one: the run's, or the services' default.</summary>
    public static string Shared => FromEnvironment ?? DefaultServer;

    /// <summary>Parallel test classes share one Redis (and one loopback IP): each host keeps to its own keys.</summary>
    public static string UniquePrefix() => $"hoursmith-test:{Guid.NewGuid():N}:";

    /// <summary>The run's Redis (or none, whatever the shell exports), as environment variables of a started server.</summary>
    public static void AddTo(IDictionary<string, string> environment)
    {
        environment["Redis__Configuration"] = FromEnvironment ?? "";
        environment["Redis__KeyPrefix"] = UniquePrefix();
        environment["Redis__TimeoutMilliseconds"] = TimeoutMilliseconds;
    }

    /// <summary>
    /// Redis calls' timeout in test hosts: generous, so a stall of this loaded machine is not taken for a
    /// Redis outage (the instance would count its next requests alone and an exact count would be off).
    /// Tests of a hung Redis set the production default themselves.
    /// </summary>
    public const string TimeoutMilliseconds = "5000";
}

/// <summary>
/// A <c>redis-server</c> of one test's own on a free loopback port, without persistence, which the
/// test stops (killed, as in a crash) and starts again on the same port.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>A free port, nothing listening on it yet.</summary>
    public static RedisServer Reserve()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new RedisServer(((IPEndPoint)listener.LocalEndpoint).Port);
    }

    public static async Task<RedisServer> StartAsync()
    {
        var server = Reserve();
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning" })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await AnswersAsync(deadline.Token))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} exited with {_process.ExitCode}");
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>Kills the server, as a crash would: its data is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open, nothing is answered.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    public Task ResumeAsync() => SignalAsync("-CONT");

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
