using System.Text.RegularExpressions;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// Clients generated from the served OpenAPI document work: openapi-typescript + openapi-fetch (compiled with
/// tsc --strict) and NSwag (C#, compiled with warnings as errors) each run the docs' Common workflow against a
/// real server — create a client, a project and time entries with only their required fields, list them with a
/// filter and page through them with the cursor. The tools are pinned (tools/clients/ts/package-lock.json,
/// .config/dotnet-tools.json) and installed by scripts/setup; a missing one fails the test, never skips it.
/// The workflows themselves are tools/clients/ts/workflow.mts and tools/clients/cs/Workflow.cs.
/// </summary>
public sealed partial class GeneratedClientTests(GeneratedClientTests.Server server) : IClassFixture<GeneratedClientTests.Server>
{
    private static readonly string s_clients = Path.Combine(AppProcess.RepositoryRoot, "tools", "clients");

    /// <summary>One server and its document for both generators.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private readonly TempDatabase _database = new();
        private ServerProcess? _process;

        public string BaseAddress => _process!.BaseAddress;

        public string DocumentFile { get; } = Path.Combine(Path.GetTempPath(), $"hoursmith-openapi-{Guid.NewGuid():N}.json");

        public Task<string> TokenAsync(string name) => AppProcess.OwnerTokenAsync(_database.ConnectionString, name);

        public async Task InitializeAsync()
        {
            _process = await ServerProcess.StartAsync(ServerProcess.ProductionEnvironment(_database.ConnectionString));
            using var http = new HttpClient { BaseAddress = new Uri(BaseAddress) };
            await File.WriteAllTextAsync(DocumentFile, await http.GetStringAsync("/api/openapi.json"));
        }

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }

            _database.Dispose();
            File.Delete(DocumentFile);
        }
    }

    [Fact]
    public async Task A_typescript_client_from_openapi_typescript_runs_the_common_workflow_under_strict_types()
    {
        var tools = Path.Combine(s_clients, "ts");
        var bin = Path.Combine(tools, "node_modules", ".bin");
        Assert.True(File.Exists(Path.Combine(bin, "openapi-typescript")) && File.Exists(Path.Combine(bin, "tsc"))
            && Directory.Exists(Path.Combine(tools, "node_modules", "openapi-fetch")),
            "The TypeScript client tools are not installed: run scripts/setup (npm ci in tools/clients/ts).");

        var source = await File.ReadAllTextAsync(Path.Combine(tools, "workflow.mts"));
        var code = LineComment().Replace(source, "");
        Assert.DoesNotMatch(@"\bas\b", code); // no casts: the generated types must be enough
        Assert.DoesNotMatch(@"\bnull\b", code); // optional fields are left out, never sent as null

        var work = Directory.CreateTempSubdirectory("hoursmith-ts-client-");
        try
        {
            File.Copy(Path.Combine(tools, "workflow.mts"), Path.Combine(work.FullName, "workflow.mts"));
            File.Copy(Path.Combine(tools, "tsconfig.json"), Path.Combine(work.FullName, "tsconfig.json"));
            // The pinned packages, for tsc's type resolution and for openapi-fetch at run time.
            Directory.CreateSymbolicLink(Path.Combine(work.FullName, "node_modules"), Path.Combine(tools, "node_modules"));

            await RunAsync(work.FullName, Path.Combine(bin, "openapi-typescript"), [server.DocumentFile, "--output", "schema.d.ts"]);
            await RunAsync(work.FullName, Path.Combine(bin, "tsc"), ["--project", "tsconfig.json", "--strict"]);
            var output = await RunAsync(work.FullName, "node", [Path.Combine("out", "workflow.mjs")], await WorkflowEnvironmentAsync("TsClient"));

            AssertWorkflow(output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_csharp_client_from_nswag_compiles_without_warnings_and_runs_the_common_workflow()
    {
        var work = Directory.CreateTempSubdirectory("hoursmith-cs-client-");
        try
        {
            var generated = await RunAsync(AppProcess.RepositoryRoot, "dotnet",
            [
                "tool", "run", "nswag", "openapi2csclient",
                $"/input:{server.DocumentFile}",
                $"/output:{Path.Combine(work.FullName, "HoursmithClient.cs")}",
                "/namespace:Hoursmith.Generated",
                "/className:HoursmithClient",
                "/operationGenerationMode:SingleClientFromOperationId",
                "/generateClientInterfaces:false",
                "/jsonLibrary:SystemTextJson",
                "/generateNullableReferenceTypes:true",
                "/generateOptionalPropertiesAsNullable:true",
                "/generateOptionalParameters:true",
                "/dateType:System.DateOnly",
            ], failure: "NSwag failed; is it restored? run scripts/setup (dotnet tool restore: NSwag.ConsoleCore in .config/dotnet-tools.json)");
            Assert.True(File.Exists(Path.Combine(work.FullName, "HoursmithClient.cs")), "NSwag wrote no client:\n" + generated);

            File.Copy(Path.Combine(s_clients, "cs", "Workflow.cs"), Path.Combine(work.FullName, "Workflow.cs"));
            // Only what the generated code needs: the framework (System.Text.Json, DataAnnotations); no package references.
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "Workflow.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                </Project>
                """);
            await RunAsync(work.FullName, "dotnet", ["build", "--configuration", "Release", "--nologo", "--verbosity", "quiet", "--output", "out"]);
            var output = await RunAsync(work.FullName, "dotnet", [Path.Combine("out", "Workflow.dll")], await WorkflowEnvironmentAsync("CsClient"));

            AssertWorkflow(output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task<Dictionary<string, string>> WorkflowEnvironmentAsync(string workspace) => new()
    {
        ["HOURSMITH_API_BASE"] = server.BaseAddress,
        ["HOURSMITH_API_TOKEN"] = await server.TokenAsync(workspace),
    };

    /// <summary>Three entries, one per page (limit=1, filtered by project), and every one of them listed.</summary>
    private static void AssertWorkflow(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 9, "unexpected workflow output:\n" + output);
        Assert.Matches($"^client {Uuid} Globex$", lines[0]);
        Assert.Matches($"^project {Uuid} Website redesign$", lines[1]);
        Assert.Matches($"^entry {Uuid} 2026-06-11 5400s$", lines[2]);
        Assert.Matches($"^entry {Uuid} 2026-06-11 1800s$", lines[3]);
        Assert.Matches($"^entry {Uuid} 2026-06-11 900s$", lines[4]);
        Assert.Equal(["page 1 1 more", "page 2 1 more", "page 3 1 last", "listed 3"], lines[5..]);
    }

    private const string Uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    [GeneratedRegex("//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    /// <summary>Runs a command to its end (3 minutes at most); a non-zero exit fails the test with its output.</summary>
    private static async Task<string> RunAsync(string directory, string command, string[] arguments,
        Dictionary<string, string>? environment = null, string? failure = null)
    {
        var (exit, output, error) = await ToolProcess.RunAsync(directory, command, arguments, environment);
        Assert.True(exit == 0, $"{failure ?? "command failed"}: {Path.GetFileName(command)} {string.Join(' ', arguments)} exited {exit}\n{output}\n{error}");
        return output;
    }
}
