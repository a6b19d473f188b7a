namespace Hoursmith.Api.Data.Entities;

/// <summary>
/// A random key generated once per database and shared by every process that uses it (the
/// instances behind one proxy, the CLI), so what it signs outlives restarts with no setting at all.
/// </summary>
public sealed class ServerSecret
{
    public required string Name { get; set; }
    public required byte[] Value { get; set; }
    public DateTime CreatedAt { get; set; }
}
