using System.Security.Cryptography;
using Hoursmith.Api.Infrastructure.Lists;

namespace Hoursmith.Api.Tests.Unit;

public class ListCursorTests
{
    private static readonly ListCursor Cursors = new(RandomNumberGenerator.GetBytes(32));
    private static readonly Guid Workspace = Guid.CreateVersion7();
    private static readonly byte[] Binding = ListCursor.Binding(Workspace, "time-entries", "entryDate desc");

    [Theory]
    [InlineData("2026-11-22")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Ünïcode, commas; and \"quotes\"")]
    public void A_cursor_round_trips_its_position(string? key)
    {
        var position = new CursorPosition(key, Guid.CreateVersion7());

        Assert.Equal(position, Cursors.Decode(Cursors.Encode(position, Binding), Binding));
    }

    [Fact]
    public void A_cursor_is_url_safe()
    {
        var cursor = Cursors.Encode(new CursorPosition(new string('x', 300), Guid.CreateVersion7()), Binding);

        Assert.Matches("^[A-Za-z0-9_-]+$", cursor);
    }

    [Fact]
    public void Changing_any_character_makes_it_invalid()
    {
        var cursor = Cursors.Encode(new CursorPosition("2026-11-22", Guid.CreateVersion7()), Binding);

        for (var i = 0; i < cursor.Length; i++)
        {
            var replacement = cursor[i] == 'A' ? 'B' : 'A';
            var tampered = string.Concat(cursor.AsSpan(0, i), replacement.ToString(), cursor.AsSpan(i + 1));
            Assert.Null(Cursors.Decode(tampered, Binding));
        }
    }

    [Fact]
    public void A_cursor_is_invalid_for_another_workspace_collection_or_query()
    {
        var cursor = Cursors.Encode(new CursorPosition("2026-11-22", Guid.CreateVersion7()), Binding);

        Assert.Null(Cursors.Decode(cursor, ListCursor.Binding(Guid.CreateVersion7(), "time-entries", "entryDate desc")));
        Assert.Null(Cursors.Decode(cursor, ListCursor.Binding(Workspace, "expenses", "entryDate desc")));
        Assert.Null(Cursors.Decode(cursor, ListCursor.Binding(Workspace, "time-entries", "entryDate asc")));
        Assert.Null(Cursors.Decode(cursor, ListCursor.Binding(Workspace, "time-entries", "entryDate desc\nprojectId=1")));
    }

    [Fact]
    public void A_cursor_signed_with_another_key_is_invalid()
    {
        var other = new ListCursor(RandomNumberGenerator.GetBytes(32));
        var cursor = other.Encode(new CursorPosition("k", Guid.CreateVersion7()), Binding);

        Assert.Null(Cursors.Decode(cursor, Binding));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("aWQ6MDE5YTAwMDAwMDAwNzAwMDgwMDAwMDAwMDAwMDAwMDA")]
    [InlineData("%%%")]
    [InlineData("AAAA")]
    public void Garbage_is_invalid(string cursor)
    {
        Assert.Null(Cursors.Decode(cursor, Binding));
    }
}
