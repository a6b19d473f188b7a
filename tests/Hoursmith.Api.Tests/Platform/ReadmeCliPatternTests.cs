using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The README's "Lost the demo token" commands, exactly as written there, in a fresh clone: <c>dotnet run</c>
/// output piped into <c>jq</c> must be the command's JSON alone.
/// </summary>
public sealed partial class ReadmeCliPatternTests : IDisposable
{
    private readonly string _clone = Path.Combine(Path.GetTempPath(), $"hoursmith-readme-{Guid.NewGuid():N}");
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"hoursmith-readme-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task The_lost_token_commands_run_as_written_in_a_fresh_clone()
    {
        var snippet = LostTokenBlock().Match(await File.ReadAllTextAsync(Path.Combine(AppProcess.RepositoryRoot, "README.md"))).Groups[1].Value;
        Assert.Contains("dotnet run", snippet);
        await SeedDemoAsync();
        Assert.Equal(0, (await RunAsync("git", ["clone", "-q", AppProcess.RepositoryRoot, _clone], AppProcess.RepositoryRoot)).ExitCode);

        var result = await RunAsync("bash", ["-e", "-o", "pipefail", "-c", snippet], _clone);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}\n{result.StandardOutput}");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches("^http://localhost:5080/sign-in/[A-Za-z0-9_-]{43}$", lines[0]);
        Assert.Matches("^hsk_test_[0-9a-f]{12}_[0-9A-Za-z]{32}$", lines[1]);
    }

    /// <summary>The demo workspace, as the run command creates it on an empty database.</summary>
    private async Task SeedDemoAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Hoursmith"] = $"Data Source={_database}",
            ["Database__Provider"] = "sqlite",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        await using var server = await ServerProcess.StartAsync(environment);
        var deadline = Stopwatch.StartNew();
        while (!server.Output.Contains("Demo workspace", StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        Assert.Contains("Demo workspace", server.Output);
    }

    private async Task<ProcessResult> RunAsync(string program, string[] args, string directory)
    {
        var info = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The clone's own settings but this test's database; nothing inherited from the test run.
        info.Environment["ConnectionStrings__Hoursmith"] = $"Data Source={_database}";
        info.Environment["Database__Provider"] = "sqlite";
        info.Environment.Remove("Redis__Configuration");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        if (Directory.Exists(_clone))
        {
            Directory.Delete(_clone, recursive: true);
        }

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }

    [GeneratedRegex(@"\*\*Lost the demo token or the link\?\*\*.*?```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex LostTokenBlock();
}
