using System.Security.Cryptography;
using Hoursmith.Api.Infrastructure.Lists;

namespace Hoursmith.Api.Tests.Unit;

public class ListCursorTests
{
    private static readonly ListCursor s_cursors = new(RandomNumberGenerator.GetBytes(32));
    private static readonly Guid s_workspace = Guid.CreateVersion7();
    private static readonly byte[] s_binding = ListCursor.Binding([s_workspace.ToString("N"), "time-entries", "entryDate", "desc"]);

    [Theory]
    [InlineData("2026-11-22")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Ünïcode, commas; and \"quotes\"")]
    public void A_cursor_round_trips_its_position(string? key)
    {
        var position = new CursorPosition(key, Guid.CreateVersion7());

        Assert.Equal(position, s_cursors.Decode(s_cursors.Encode(position, s_binding), s_binding));
    }

    [Fact]
    public void A_cursor_is_url_safe()
    {
        var cursor = s_cursors.Encode(new CursorPosition(new string('x', 300), Guid.CreateVersion7()), s_binding);

        Assert.Matches("^[A-Za-z0-9_-]+$", cursor);
    }

    [Fact]
    public void Changing_any_character_makes_it_invalid()
    {
        var cursor = s_cursors.Encode(new CursorPosition("2026-11-22", Guid.CreateVersion7()), s_binding);

        for (var i = 0; i < cursor.Length; i++)
        {
            var replacement = cursor[i] == 'A' ? 'B' : 'A';
            var tampered = string.Concat(cursor.AsSpan(0, i), replacement.ToString(), cursor.AsSpan(i + 1));
            Assert.Null(s_cursors.Decode(tampered, s_binding));
        }
    }

    [Fact]
    public void A_cursor_is_invalid_for_another_workspace_collection_or_query()
    {
        var cursor = s_cursors.Encode(new CursorPosition("2026-11-22", Guid.CreateVersion7()), s_binding);

        Assert.Null(s_cursors.Decode(cursor, ListCursor.Binding([Guid.CreateVersion7().ToString("N"), "time-entries", "entryDate", "desc"])));
        Assert.Null(s_cursors.Decode(cursor, ListCursor.Binding([s_workspace.ToString("N"), "expenses", "entryDate", "desc"])));
        Assert.Null(s_cursors.Decode(cursor, ListCursor.Binding([s_workspace.ToString("N"), "time-entries", "entryDate", "asc"])));
        Assert.Null(s_cursors.Decode(cursor, ListCursor.Binding([s_workspace.ToString("N"), "time-entries", "entryDate", "desc", "projectId", "1"])));
    }

    [Fact]
    public void A_value_cannot_spell_the_boundary_between_parts()
    {
        // ?search=a%0AclientId=X against ?search=a&clientId=X, and the same with the pair split elsewhere.
        Assert.NotEqual(ListCursor.Binding(["search", "a\nclientId=X"]), ListCursor.Binding(["search", "a", "clientId", "X"]));
        Assert.NotEqual(ListCursor.Binding(["search", "a\nclientId=X"]), ListCursor.Binding(["search", "a\nclientId", "X"]));
        Assert.NotEqual(ListCursor.Binding(["ab", "c"]), ListCursor.Binding(["a", "bc"]));
        Assert.NotEqual(ListCursor.Binding(["a", ""]), ListCursor.Binding(["a"]));
        Assert.Equal(ListCursor.Binding(["search", "a", "clientId", "X"]), ListCursor.Binding(["search", "a", "clientId", "X"]));
    }

    [Fact]
    public void A_cursor_signed_with_another_key_is_invalid()
    {
        var other = new ListCursor(RandomNumberGenerator.GetBytes(32));
        var cursor = other.Encode(new CursorPosition("k", Guid.CreateVersion7()), s_binding);

        Assert.Null(s_cursors.Decode(cursor, s_binding));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("aWQ6MDE5YTAwMDAwMDAwNzAwMDgwMDAwMDAwMDAwMDAwMDA")]
    [InlineData("%%%")]
    [InlineData("AAAA")]
    public void Garbage_is_invalid(string cursor)
    {
        Assert.Null(s_cursors.Decode(cursor, s_binding));
    }
}
