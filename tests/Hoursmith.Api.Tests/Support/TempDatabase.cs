using Microsoft.Data.Sqlite;

namespace Hoursmith.Api.Tests.Support;

/// <summary>A SQLite file of one test's own, shared with any process it starts; deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hoursmith-test-{Guid.NewGuid():N}.db");

    public string ConnectionString => $"Data Source={Path}";

    /// <summary>The main file and SQLite's write-ahead log and index, whichever exist.</summary>
    public IEnumerable<string> Files => new[] { "", "-wal", "-shm" }.Select(suffix => Path + suffix).Where(File.Exists);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Files)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temp file left behind is harmless.
            }
        }
    }
}
