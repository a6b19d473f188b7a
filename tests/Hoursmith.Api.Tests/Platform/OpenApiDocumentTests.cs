using System.Text.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The served document is the contract: it is committed as docs/openapi.json (so a change to it shows in
/// review) and both linters integrators use pass it with no error and no warning.
/// </summary>
public class OpenApiDocumentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string UpdateVariable = "HOURSMITH_UPDATE_OPENAPI";
    private const string Regenerate = "HOURSMITH_UPDATE_OPENAPI=1 dotnet test tests/Hoursmith.Api.Tests --filter \"FullyQualifiedName~OpenApiDocumentTests.The_committed\"";

    internal static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Hoursmith.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("Hoursmith.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    private static string CommittedPath => Path.Combine(RepositoryRoot, "docs", "openapi.json");

    private async Task<string> ServedAsync()
    {
        var response = await factory.ClientWith(null).GetAsync("/api/openapi.json");
        Assert.Equal(200, (int)response.StatusCode);
        // Pretty-printed with a final newline, as committed, so a diff of docs/openapi.json reads line by line.
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return JsonSerializer.Serialize(document.RootElement, s_indented).ReplaceLineEndings("\n") + "\n";
    }

    private static readonly JsonSerializerOptions s_indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task The_document_is_the_same_on_every_request()
    {
        Assert.Equal(await ServedAsync(), await ServedAsync());
    }

    [Fact]
    public async Task The_committed_document_is_the_served_one()
    {
        var served = await ServedAsync();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served);
            return;
        }

        var committed = File.Exists(CommittedPath) ? (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n") : "";
        if (committed != served)
        {
            var servedLines = served.Split('\n');
            var committedLines = committed.Split('\n');
            var line = Enumerable.Range(0, Math.Max(servedLines.Length, committedLines.Length))
                .First(i => i >= servedLines.Length || i >= committedLines.Length || servedLines[i] != committedLines[i]);
            Assert.Fail($"docs/openapi.json differs from the served document (first at line {line + 1}: committed " +
                $"\"{committedLines.ElementAtOrDefault(line)?.Trim()}\", served \"{servedLines.ElementAtOrDefault(line)?.Trim()}\"). " +
                $"Regenerate it with: {Regenerate}");
        }
    }

    [Fact]
    public async Task Redocly_and_Spectral_report_nothing()
    {
        var tools = Path.Combine(RepositoryRoot, "tools", "openapi");
        var bin = Path.Combine(tools, "node_modules", ".bin");
        Assert.True(File.Exists(Path.Combine(bin, "redocly")) && File.Exists(Path.Combine(bin, "spectral")),
            "The OpenAPI linters are not installed: run scripts/setup (npm ci in tools/openapi).");

        var file = Path.Combine(Path.GetTempPath(), $"hoursmith-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await ServedAsync());
        try
        {
            // Both at once: each spends most of its few seconds starting Node.
            var redocly = RunAsync(tools, Path.Combine(bin, "redocly"), "lint", "--config", Path.Combine(tools, "redocly.yaml"), "--format", "json", file);
            var spectral = RunAsync(tools, Path.Combine(bin, "spectral"), "lint", "--ruleset", Path.Combine(tools, ".spectral.yaml"),
                "--fail-severity", "hint", "--display-only-failures", file);
            var (redoclyExit, redoclyOutput, redoclyError) = await redocly;
            var (spectralExit, spectralOutput, spectralError) = await spectral;

            Assert.True(redoclyExit == 0 && RedoclyProblems(redoclyOutput) is [], "Redocly (recommended) found problems:\n" +
                string.Join('\n', RedoclyProblems(redoclyOutput) ?? [redoclyOutput, redoclyError]));
            Assert.True(spectralExit == 0, "Spectral (spectral:oas) found problems:\n" + spectralOutput + spectralError);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Redocly's JSON report as "severity rule pointer: message" lines; null when it is not JSON.</summary>
    private static List<string>? RedoclyProblems(string output)
    {
        try
        {
            using var report = JsonDocument.Parse(output);
            return [.. report.RootElement.GetProperty("problems").EnumerateArray().Select(p =>
                $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()} " +
                $"{p.GetProperty("location")[0].GetProperty("pointer").GetString()}: {p.GetProperty("message").GetString()}")];
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(string directory, string command, params string[] arguments) =>
        ToolProcess.RunAsync(directory, command, arguments, timeout: TimeSpan.FromSeconds(90));
}
