using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Hoursmith.Api.Tests.Support;

/// <summary>Output of one run of the real executable.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public JsonElement Json => JsonDocument.Parse(StandardOutput).RootElement.Clone();
}

/// <summary>
/// Runs the built <c>Hoursmith.Api</c> executable as a separate process, as an operator would:
/// the CLI against a shared database, or the server itself.
/// </summary>
public static class AppProcess
{
    private static readonly Lazy<string> s_dll = new(FindDll);

    /// <summary>The built Hoursmith.Api.dll the process tests run.</summary>
    public static string Dll => s_dll.Value;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static Task<ProcessResult> RunCliAsync(string connectionString, params string[] args) =>
        RunAsync(args, Environment(connectionString));

    /// <summary>A new Studio workspace made with the CLI, and a token of its Owner.</summary>
    public static async Task<string> OwnerTokenAsync(string connectionString, string name)
    {
        var created = System.Text.Json.JsonDocument.Parse((await RunCliAsync(connectionString, "workspaces", "create", "--name", name, "--plan", "studio",
            "--owner-email", $"{name.ToLowerInvariant()}@example.com")).StandardOutput).RootElement;
        var minted = await RunCliAsync(connectionString, "tokens", "mint", "--workspace", created.GetProperty("workspaceId").GetString()!,
            "--member", created.GetProperty("ownerMemberId").GetString()!, "--name", name);
        return System.Text.Json.JsonDocument.Parse(minted.StandardOutput).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Runs the executable (the tests' build, or <paramref name="dll"/>) to its end.</summary>
    public static async Task<ProcessResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? dll = null)
    {
        using var process = Start(args, environment, dll);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Environment for a process that shares the test's database and token environment (and the run's Redis, if any).</summary>
    public static Dictionary<string, string> Environment(string connectionString)
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = TempDatabase.Provider,
            ["ConnectionStrings__Hoursmith"] = connectionString,
            ["Hoursmith__TokenEnvironment"] = "test",
            ["DOTNET_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
        };
        TestRedis.AddTo(environment);
        return environment;
    }

    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? dll = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(dll ?? s_dll.Value);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The test run's provider unless the caller says otherwise; never one inherited from the shell.
        info.Environment["Database__Provider"] = TempDatabase.Provider;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hoursmith.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Hoursmith.slnx not found above " + AppContext.BaseDirectory);
    }

    // The executable as built beside its own runtimeconfig, in the same configuration as the tests.
    private static string FindDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(RepositoryRoot, "src", "Hoursmith.Api", "bin", configuration, "net10.0", "Hoursmith.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build the solution first", dll);
    }
}
