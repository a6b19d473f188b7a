// The docs' "Common workflows" through a C# client NSwag generates from the served OpenAPI document
// (Hoursmith.Generated.HoursmithClient, written beside this file by GeneratedClientTests and compiled with
// nullable reference types and warnings as errors). Prints one line per step; exits non-zero on any failure.
// Usage: HOURSMITH_API_BASE=http://127.0.0.1:5080 HOURSMITH_API_TOKEN=hsk_… dotnet Workflow.dll
using System.Net.Http.Headers;
using Hoursmith.Generated;

var baseUrl = Environment.GetEnvironmentVariable("HOURSMITH_API_BASE");
var token = Environment.GetEnvironmentVariable("HOURSMITH_API_TOKEN");
if (string.IsNullOrEmpty(baseUrl) || string.IsNullOrEmpty(token))
{
    throw new InvalidOperationException("set HOURSMITH_API_BASE and HOURSMITH_API_TOKEN");
}

using var http = new HttpClient();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
var api = new HoursmithClient(http) { BaseUrl = baseUrl };
static string Key() => Guid.NewGuid().ToString();

try
{
    // 1. A client
    var client = (await api.CreateClientAsync(Key(), new ClientInput { Name = "Globex", Email = "billing@globex.com", Currency = "USD" })).Data;
    Console.WriteLine($"client {client.Id} {client.Name}");

    // 2. A project for that client
    var project = (await api.CreateProjectAsync(Key(), new ProjectInput { ClientId = client.Id, Name = "Website redesign" })).Data;
    Console.WriteLine($"project {project.Id} {project.Name}");

    // 3. Time entries with only the required fields (a duration instead of startedAt)
    var created = new List<Guid>();
    foreach (var seconds in new long[] { 5400, 1800, 900 })
    {
        var entry = (await api.CreateTimeEntryAsync(Key(), new TimeEntryInput
        {
            ProjectId = project.Id,
            EntryDate = new DateOnly(2026, 6, 11),
            DurationSeconds = seconds,
        })).Data;
        created.Add(entry.Id);
        Console.WriteLine($"entry {entry.Id} {entry.EntryDate:yyyy-MM-dd} {entry.DurationSeconds}s");
    }

    // 4. List them with a filter, one per page, following the cursor to the end
    var seen = new List<Guid>();
    string? cursor = null;
    for (var page = 1; page <= created.Count + 1; page++)
    {
        var list = await api.ListTimeEntriesAsync(projectId: project.Id, limit: 1, sort: ListTimeEntriesSort.EntryDate, cursor: cursor);
        foreach (var row in list.Data)
        {
            if (row.ProjectId != project.Id)
            {
                throw new InvalidOperationException($"the filter let through {row.Id}");
            }

            seen.Add(row.Id);
        }

        cursor = list.Pagination.NextCursor;
        Console.WriteLine($"page {page} {list.Data.Count} {(cursor is null ? "last" : "more")}");
        if (cursor is null)
        {
            break;
        }
    }

    if (!seen.Order().SequenceEqual(created.Order()))
    {
        throw new InvalidOperationException($"listed {string.Join(",", seen)} but created {string.Join(",", created)}");
    }

    Console.WriteLine($"listed {seen.Count}");
    return 0;
}
catch (ApiException error)
{
    Console.Error.WriteLine($"HTTP {error.StatusCode}: {error.Message}");
    return 1;
}

namespace Hoursmith.Generated
{
    /// <summary>
    /// NSwag makes every optional property nullable and would send each unset one as an explicit null, which a create
    /// refuses for fields that may be omitted but not null (a project's status). Unset means absent, as in the docs.
    /// </summary>
    public partial class HoursmithClient
    {
        static partial void UpdateJsonSerializerSettings(System.Text.Json.JsonSerializerOptions settings) =>
            settings.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
    }
}
