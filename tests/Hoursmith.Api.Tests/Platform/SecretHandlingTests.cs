using System.Text;
using Hoursmith.Api.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>Token secrets exist only in the minting response: never at rest, never in a log line.</summary>
public class SecretHandlingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_raw_database_file_never_contains_a_token_secret()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            tokens.Add((await workspace.MintAsync(workspace.OwnerId, $"Token {i}")).Token);
        }

        var raw = TempDatabase.IsPostgres ? await PostgresRowsAsync() : await SqliteFilesAsync();
        Assert.Contains(tokens[0].Split('_')[2], raw); // the public prefix is stored, so the file was really read
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token.Split('_')[3], raw, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(token.Split('_')[3])), raw, StringComparison.Ordinal);
        }
    }

    /// <summary>Every byte SQLite keeps: the write-ahead log folded into the main file, then the files read raw.</summary>
    private async Task<string> SqliteFilesAsync()
    {
        await using (var connection = new SqliteConnection(factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(FULL);";
            await checkpoint.ExecuteNonQueryAsync();
        }

        var bytes = new List<byte>();
        foreach (var file in factory.Database.Files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory);
            bytes.AddRange(memory.ToArray());
        }

        return Encoding.Latin1.GetString(bytes.ToArray());
    }

    /// <summary>
    /// PostgreSQL's files may live on another machine: every row of every table as text instead
    /// (binary columns as hex, hence the hex check too).
    /// </summary>
    private async Task<string> PostgresRowsAsync()
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("ApiTokens", tables);
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM \"{table}\" AS t", connection);
            text.AppendLine((string)(await rows.ExecuteScalarAsync())!);
        }

        return text.ToString();
    }

    [Fact]
    public async Task Logs_carry_request_id_and_token_prefix_but_never_the_secret_or_header()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        var wrongSecret = token[..^32] + "Z" + token[^31..];
        using var client = workspace.Client(token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/me?access_token={token}");
        request.Headers.Add("X-Request-Id", "log-check-" + Guid.NewGuid().ToString("N"));

        var ok = await client.SendAsync(request);
        var refused = await workspace.Client(wrongSecret).GetAsync("/api/v1/me");

        Assert.Equal(200, (int)ok.StatusCode);
        bool RequestLine(string entry, string requestId) => entry.Contains(requestId, StringComparison.Ordinal) && entry.Contains("responded", StringComparison.Ordinal);
        await factory.Logs.WaitForAsync(e => RequestLine(e, refused.Headers.GetValues("X-Request-Id").Single()));
        var entries = factory.Logs.Entries.ToList();
        var line = Assert.Single(entries, e => RequestLine(e, request.Headers.GetValues("X-Request-Id").Single()));
        Assert.Contains(token.Split('_')[2], line);
        Assert.Contains("/api/v1/me", line);
        foreach (var entry in entries)
        {
            Assert.DoesNotContain(token.Split('_')[3], entry, StringComparison.Ordinal);
            Assert.DoesNotContain(wrongSecret.Split('_')[3], entry, StringComparison.Ordinal);
            Assert.DoesNotContain("Bearer hsk_", entry, StringComparison.Ordinal);
        }
    }
}
