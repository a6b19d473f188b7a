using System.Text.Json;

namespace Hoursmith.Api.Tests.Support;

/// <summary>One page of a list: its rows, the limit it echoes and the cursor to the next page.</summary>
public sealed record ListPage(IReadOnlyList<JsonElement> Rows, int Limit, string? NextCursor)
{
    public IReadOnlyList<Guid> Ids => [.. Rows.Select(r => r.GetProperty("id").GetGuid())];
}

/// <summary>
/// Reads lists as one member. Rate limits count per token while cursors are bound to the member,
/// so a long walk moves to a fresh token of the same member every few requests and never meets a 429.
/// </summary>
public sealed class ListReader(TestWorkspace workspace, Guid memberId)
{
    private const int RequestsPerToken = 20;

    private HttpClient? _client;
    private int _requests;

    public async Task<HttpResponseMessage> GetAsync(string url)
    {
        if (_client is null || _requests == RequestsPerToken)
        {
            _client = workspace.Client((await workspace.MintAsync(memberId, "List reader")).Token);
            _requests = 0;
        }

        _requests++;
        return await _client.GetAsync(url);
    }

    /// <summary>A page that must answer 200.</summary>
    public async Task<ListPage> PageAsync(string url)
    {
        var response = await GetAsync(url);
        Assert.True(200 == (int)response.StatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.ReadJsonAsync();
        var pagination = body.GetProperty("pagination");
        var next = pagination.GetProperty("nextCursor");
        return new ListPage(
            [.. body.GetProperty("data").EnumerateArray()],
            pagination.GetProperty("limit").GetInt32(),
            next.ValueKind == JsonValueKind.Null ? null : next.GetString());
    }

    /// <summary>The ids of a first page that must answer 200.</summary>
    public async Task<IReadOnlyList<Guid>> IdsAsync(string url) => (await PageAsync(url)).Ids;

    /// <summary>
    /// Every page from the first, following nextCursor; <paramref name="between"/> runs between two
    /// page fetches. Checks on the way that every page but the last is full and echoes the limit.
    /// </summary>
    public async Task<List<Guid>> WalkAsync(string path, string query, int limit, Func<Task>? between = null)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            if (pages > 0 && between is not null)
            {
                await between();
            }

            var url = $"{path}?limit={limit}{query}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}";
            var page = await PageAsync(url);
            pages++;
            Assert.Equal(limit, page.Limit);
            Assert.True(page.Rows.Count <= limit, $"GET {url} returned {page.Rows.Count} rows for limit {limit}");
            if (page.NextCursor is not null)
            {
                Assert.True(page.Rows.Count == limit, $"GET {url}: a page with a next cursor has {page.Rows.Count} rows, not {limit}");
            }

            ids.AddRange(page.Ids);
            cursor = page.NextCursor;
            Assert.True(pages <= 2000, $"{path}{query}: still paging after {pages} pages");
        }
        while (cursor is not null);

        return ids;
    }
}
