using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Lists;

namespace Hoursmith.Api.Tests.Unit;

/// <summary>The pure parsing and formatting behind list filters and cursors.</summary>
public class ListValuesTests
{
    [Fact]
    public void A_bare_date_lower_bound_is_utc_midnight_and_an_upper_bound_is_the_days_last_tick()
    {
        var lower = ListValues.ParseTimestampBound("2026-03-05", upper: false);
        var upper = ListValues.ParseTimestampBound("2026-03-05", upper: true);

        Assert.Equal(new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc), lower);
        Assert.Equal(DateTimeKind.Utc, lower!.Value.Kind);
        Assert.Equal(new DateTime(2026, 3, 6, 0, 0, 0, DateTimeKind.Utc).AddTicks(-1), upper);
        Assert.Equal(DateTimeKind.Utc, upper!.Value.Kind);
    }

    [Theory]
    [InlineData("2026-03-05T10:15:30Z", false)]
    [InlineData("2026-03-05T10:15:30Z", true)]
    [InlineData("2026-03-05T12:15:30+02:00", true)]
    [InlineData("2026-03-05T05:15:30-05:00", false)]
    [InlineData("2026-03-05T10:15:30", true)]
    public void A_full_timestamp_bound_is_that_exact_moment_in_utc_either_way(string text, bool upper)
    {
        var bound = ListValues.ParseTimestampBound(text, upper);

        Assert.Equal(new DateTime(2026, 3, 5, 10, 15, 30, DateTimeKind.Utc), bound);
        Assert.Equal(DateTimeKind.Utc, bound!.Value.Kind);
    }

    [Fact]
    public void A_timestamp_bound_keeps_sub_second_precision()
    {
        Assert.Equal(new DateTime(2026, 3, 5, 10, 15, 30, DateTimeKind.Utc).AddTicks(1_234_567), ListValues.ParseTimestampBound("2026-03-05T10:15:30.1234567Z", upper: true));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("2026-03-05T25:00:00Z")]
    [InlineData("")]
    [InlineData("2026-3-5")]
    [InlineData("March 5, 2026")]
    [InlineData("05/03/2026")]
    [InlineData("2026-03-05 10:15:30")]
    public void A_timestamp_bound_that_is_not_an_iso_date_is_null(string text)
    {
        Assert.Null(ListValues.ParseTimestampBound(text, upper: false));
        Assert.Null(ListValues.ParseTimestampBound(text, upper: true));
    }

    [Theory]
    [InlineData("2026-03-05", "2026-03-05")]
    [InlineData("2026-03-05T23:30:00Z", "2026-03-05")]
    [InlineData("2026-03-06T00:30:00+01:00", "2026-03-05")]
    [InlineData("2024-02-29", "2024-02-29")]
    public void A_date_bound_is_the_date_or_the_utc_date_of_a_timestamp(string text, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ListValues.ParseDateBound(text));
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("2025-02-29")]
    [InlineData("tomorrow")]
    public void A_date_bound_that_is_not_a_date_is_null(string text)
    {
        Assert.Null(ListValues.ParseDateBound(text));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("Yes", true)]
    [InlineData(" true ", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("NO", false)]
    public void Booleans_are_true_false_1_0_yes_no_in_any_case(string text, bool expected)
    {
        Assert.Equal(expected, ListValues.ParseBool(text));
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("2")]
    [InlineData("y")]
    [InlineData("on")]
    [InlineData("")]
    public void Anything_else_is_not_a_boolean(string text)
    {
        Assert.Null(ListValues.ParseBool(text));
    }

    [Theory]
    [InlineData("150.00", "150.00")]
    [InlineData("150", "150")]
    [InlineData("0.1", "0.1")]
    [InlineData("0.01", "0.01")]
    [InlineData("-5.50", "-5.50")]
    [InlineData("1.230", "1.23")]
    public void Amounts_take_at_most_two_decimals(string text, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ListValues.ParseAmount(text));
    }

    [Theory]
    [InlineData("1.234")]
    [InlineData("0.001")]
    [InlineData("1e3")]
    [InlineData("1,000")]
    [InlineData("1,5")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData("$5")]
    public void Anything_else_is_not_an_amount(string text)
    {
        Assert.Null(ListValues.ParseAmount(text));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("3600", 3600L)]
    [InlineData("-1", -1L)]
    public void Whole_numbers_parse(string text, long expected)
    {
        Assert.Equal(expected, ListValues.ParseLong(text));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    [InlineData("ten")]
    public void Anything_else_is_not_a_whole_number(string text)
    {
        Assert.Null(ListValues.ParseLong(text));
    }

    [Fact]
    public void Uuids_parse_and_garbage_does_not()
    {
        var id = Guid.CreateVersion7();

        Assert.Equal(id, ListValues.ParseGuid(id.ToString()));
        Assert.Equal(id, ListValues.ParseGuid(id.ToString("D").ToUpperInvariant()));
        Assert.Null(ListValues.ParseGuid("not-a-uuid"));
        Assert.Null(ListValues.ParseGuid("123"));
    }

    [Fact]
    public void Enums_rank_by_declaration_order_not_by_name()
    {
        var status = ListValues.Rank<WorkTask, WorkTaskStatus>(t => t.Status).Compile();
        var priority = ListValues.Rank<WorkTask, TaskPriority>(t => t.Priority).Compile();

        // By name DONE < IN_PROGRESS < TODO and HIGH < LOW < MEDIUM; by meaning the other way round.
        Assert.Equal([0, 1, 2], new[] { WorkTaskStatus.Todo, WorkTaskStatus.InProgress, WorkTaskStatus.Done }.Select(s => status(new WorkTask { Name = "t", Status = s })));
        Assert.Equal([0, 1, 2], new[] { TaskPriority.Low, TaskPriority.Medium, TaskPriority.High }.Select(p => priority(new WorkTask { Name = "t", Priority = p })));
        Assert.Null(priority(new WorkTask { Name = "t", Priority = null }));
    }

    [Fact]
    public void Every_value_of_an_enum_has_its_own_rank()
    {
        var role = ListValues.Rank<Member, Role>(m => m.Role).Compile();
        var ranks = Enum.GetValues<Role>().Select(r => role(new Member { Name = "m", Email = "m@example.com", Role = r })).ToList();

        Assert.Equal(Enumerable.Range(0, Enum.GetValues<Role>().Length), ranks);
    }

    [Fact]
    public void Cursor_keys_round_trip_exactly()
    {
        var moment = new DateTime(2026, 3, 5, 10, 15, 30, DateTimeKind.Utc).AddTicks(1_234_567);
        var parsed = ListValues.Timestamp.Parse(ListValues.Timestamp.Format(moment)!);
        Assert.Equal(moment, parsed);
        Assert.Equal(DateTimeKind.Utc, parsed.Kind);

        Assert.Equal(new DateOnly(2026, 3, 5), ListValues.Date.Parse(ListValues.Date.Format(new DateOnly(2026, 3, 5))!));
        Assert.Equal(100.50m, ListValues.Decimal.Parse(ListValues.Decimal.Format(100.50m)!));
        Assert.Equal(-42L, ListValues.Long.Parse(ListValues.Long.Format(-42L)!));
        var id = Guid.CreateVersion7();
        Assert.Equal(id, ListValues.Guid.Parse(ListValues.Guid.Format(id)!));
        Assert.Null(ListValues.NullableLong.Format(null));
        Assert.Null(ListValues.NullableTimestamp.Format(null));
    }

    [Fact]
    public void Search_matches_any_field_ignoring_case_and_skips_nulls()
    {
        var matches = ListValues.ContainsAnyFolded<Client>([c => c.Name, c => c.Email], ListSearch.SqliteCaseVariants("ACME")).Compile();

        Assert.True(matches(new Client { Name = "The Acme Corp", Currency = "EUR" }));
        Assert.True(matches(new Client { Name = "Other", Email = "billing@acme.example", Currency = "EUR" }));
        Assert.False(matches(new Client { Name = "Other", Email = null, Currency = "EUR" }));
    }

    [Fact]
    public void A_short_search_term_is_spelled_in_every_case_sqlite_must_look_for_after_folding_ascii()
    {
        Assert.Equal("École k s", ListSearch.SqliteFold("ÉCOLE \u212A \u017F"));
        Assert.Equal(["é", "É"], ListSearch.SqliteCaseVariants("é"));
        Assert.Equal(["Éc", "éc"], ListSearch.SqliteCaseVariants("ÉC"));
        Assert.Equal(["ab"], ListSearch.SqliteCaseVariants("aB"));
        // The Kelvin sign and long s fold to k and s, as in FTS5; a titlecase letter has three forms.
        Assert.Equal(["4k"], ListSearch.SqliteCaseVariants("4\u212A"));
        Assert.Equal(["st"], ListSearch.SqliteCaseVariants("\u017Ft"));
        Assert.Equal(["\u01C5", "\u01C6", "\u01C4"], ListSearch.SqliteCaseVariants("\u01C5"));
    }
}
