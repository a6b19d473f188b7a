using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hoursmith.Api.Tests.Support;
using Npgsql;

namespace Hoursmith.Api.Tests.Cluster;

/// <summary>The Cluster tests share one cluster and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}

/// <summary>A workspace made with the CLI, and its Owner's token.</summary>
public sealed record ClusterWorkspace(string Id, string OwnerId, string Token, string TokenId, string Prefix);

/// <summary>
/// <c>scripts/cluster start 2</c>: two API instances (127.0.0.1:58081 and :58082) behind nginx
/// (127.0.0.1:58080) on PostgreSQL and Redis, on a database of the run's own, dropped afterwards.
/// Needs root and the services (<c>scripts/services start</c>, or another checkout's on the same ports).
/// A cluster this checkout left running (an interrupted run) is stopped first: the tests need their settings.
/// </summary>
public sealed partial class ClusterFixture : IAsyncLifetime
{
    public const string Proxy = "http://127.0.0.1:58080";
    public const string InstanceA = "http://127.0.0.1:58081";
    public const string InstanceB = "http://127.0.0.1:58082";

    private static readonly string s_home = Path.Combine(AppProcess.RepositoryRoot, ".data", "cluster");
    private readonly string _database = $"hoursmith_cluster_test_{Guid.NewGuid():N}";
    private Dictionary<string, string> _settings = [];

    /// <summary>The settings every instance runs with (scripts/cluster's settings file).</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    private static Dictionary<string, string> ClusterEnvironment(string database) => new()
    {
        ["HOURSMITH_CLUSTER_DATABASE"] = database,
        // Burst budgets that refill one request per 20 s (Studio) and per 60 s (a client IP without a
        // valid token) instead of every 333 ms and 6 s: what a test counts then cannot depend on how
        // fast this machine sends its requests. The limits are the production ones.
        ["RateLimits__Studio__Burst__Period"] = "00:10:00",
        ["RateLimits__Unauthenticated__Period"] = "00:10:00",
        // Agency tokens carry the load of the crash test, which is not about budgets.
        ["RateLimits__Agency__Burst__Limit"] = "1000000",
        ["RateLimits__Agency__Burst__Period"] = "00:01:00",
        ["RateLimits__Agency__Sustained__Limit"] = "1000000",
        ["RateLimits__Agency__Sustained__Period"] = "00:01:00",
        // A killed request's key is held this long before a retry may take it over (default 30 s).
        ["Idempotency__Lease"] = "00:00:02",
        // The webhook tests' receiver listens on loopback (the instances run in Production).
        ["Webhooks__AllowPrivateTargets"] = "true",
    };

    public async Task InitializeAsync()
    {
        await ScriptAsync("stop");
        await ScriptAsync("start", "2");
        _settings = File.ReadAllLines(Path.Combine(s_home, "settings.env"))
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .ToDictionary(line => line[..line.IndexOf('=', StringComparison.Ordinal)], line => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Contains(_database, _settings["ConnectionStrings__Hoursmith"]);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await ScriptAsync("stop");
        }
        finally
        {
            DropDatabase();
        }
    }

    /// <summary>Runs <c>scripts/cluster</c> with the tests' settings; throws with its output when it fails.</summary>
    public async Task ScriptAsync(params string[] args)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppProcess.RepositoryRoot,
        };
        info.ArgumentList.Add(Path.Combine(AppProcess.RepositoryRoot, "scripts", "cluster"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Settings of the test run's own shell would reach the instances: only ours do.
        foreach (var name in info.Environment.Keys.Where(k => PassedThrough().IsMatch(k)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (key, value) in ClusterEnvironment(_database))
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash");
        // The first start publishes the API and may install nginx.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/cluster {string.Join(' ', args)} exited {process.ExitCode}:\n{await stderr}{await stdout}");
        }
    }

    /// <summary>The published executable's CLI with the instances' settings (the same database).</summary>
    public async Task<ProcessResult> CliAsync(params string[] args)
    {
        var result = await AppProcess.RunAsync(args, _settings, Path.Combine(s_home, "app", "Hoursmith.Api.dll"));
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)} exited {result.ExitCode}: {result.StandardError}");
        return result;
    }

    public async Task<ClusterWorkspace> CreateWorkspaceAsync(string plan)
    {
        var name = $"cluster-{Guid.NewGuid():N}";
        var created = (await CliAsync("workspaces", "create", "--name", name, "--plan", plan, "--owner-email", $"{name}@example.com")).Json;
        var workspaceId = created.GetProperty("workspaceId").GetString()!;
        var ownerId = created.GetProperty("ownerMemberId").GetString()!;
        var minted = await MintAsync(workspaceId, ownerId);
        return new ClusterWorkspace(workspaceId, ownerId, minted.Token, minted.Id, minted.Prefix);
    }

    public async Task<(string Token, string Id, string Prefix)> MintAsync(string workspaceId, string memberId)
    {
        var minted = (await CliAsync("tokens", "mint", "--workspace", workspaceId, "--member", memberId, "--name", "cluster")).Json;
        return (minted.GetProperty("token").GetString()!, minted.GetProperty("id").GetString()!, minted.GetProperty("prefix").GetString()!);
    }

    /// <summary>
    /// A client whose connections come from a loopback address of its own (127.x.y.z; Linux routes all
    /// of 127/8 to lo), so its per-IP budget is its own, in this run and in any earlier run whose
    /// counters Redis still holds.
    /// </summary>
    public static HttpClient Client(string baseAddress, string? token = null, IPAddress? source = null)
    {
        var local = source ?? RandomLoopbackAddress();
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static IPAddress RandomLoopbackAddress() =>
        new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);

    public static HttpRequestMessage PostClient(string key, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { name }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private void DropDatabase()
    {
        try
        {
            // Any database of the server will do to drop ours; the instances' settings name its password.
            var settings = _settings.TryGetValue("ConnectionStrings__Hoursmith", out var ours) ? ours : TempDatabase.DefaultPostgresServer;
            using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(settings) { Database = "postgres" }.ConnectionString);
            server.Open();
            using var drop = server.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)";
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // A test database left behind is harmless: its name is unique.
        }
    }

    [GeneratedRegex("^((Database|ConnectionStrings|Redis|Hoursmith|RateLimits|Idempotency|Logging|Webhooks)__|AllowedHosts$)", RegexOptions.IgnoreCase)]
    private static partial Regex PassedThrough();
}
