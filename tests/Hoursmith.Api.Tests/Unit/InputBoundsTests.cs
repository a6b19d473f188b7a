using System.Text.Json;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Unit;

/// <summary>
/// The bounds every parsed value is checked against before any arithmetic (StoredRange), one test
/// per cause of a 500 the fuzz test found (FuzzTests); the same causes through the API are in
/// Platform/MalformedInputTests.
/// </summary>
public class InputBoundsTests
{
    private static readonly DateOnly s_dayBeforeRange = new(1999, 12, 31);
    private static readonly DateOnly s_dayAfterRange = new(2101, 1, 1);

    // Cause 2: a date-only upper bound at the maximum date added a day and overflowed.
    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("2101-01-01")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void A_timestamp_bound_past_the_range_is_clamped_past_it_without_overflow(string text)
    {
        var upper = ListValues.ParseTimestampBound(text, upper: true);
        var lower = ListValues.ParseTimestampBound(text, upper: false);

        Assert.NotNull(upper);
        Assert.True(upper >= StoredRange.EndTimestamp && upper < StoredRange.EndTimestamp.AddDays(3), $"{upper:O}");
        Assert.True(lower >= StoredRange.EndTimestamp, $"{lower:O}");
        Assert.Equal(DateTimeKind.Utc, upper!.Value.Kind);
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1970-01-01")]
    [InlineData("1999-12-31T23:59:59Z")]
    public void A_timestamp_bound_before_the_range_is_clamped_before_it(string text)
    {
        Assert.True(ListValues.ParseTimestampBound(text, upper: false) < StoredRange.MinTimestamp);
        Assert.True(ListValues.ParseTimestampBound(text, upper: true) < StoredRange.MinTimestamp);
    }

    [Fact]
    public void A_date_bound_outside_the_range_is_clamped_to_the_day_beside_it_and_one_inside_is_kept()
    {
        Assert.Equal(s_dayAfterRange, ListValues.ParseDateBound("9999-12-31"));
        Assert.Equal(s_dayAfterRange, ListValues.ParseDateBound("9999-12-31T23:59:59Z"));
        Assert.Equal(s_dayBeforeRange, ListValues.ParseDateBound("0001-01-01"));
        Assert.Equal(s_dayBeforeRange, ListValues.ParseDateBound("1970-01-01"));
        Assert.Equal(StoredRange.MaxDate, ListValues.ParseDateBound("2100-12-31"));
        Assert.Equal(StoredRange.MinDate, ListValues.ParseDateBound("2000-01-01"));
        Assert.Equal(new DateOnly(2026, 3, 5), ListValues.ParseDateBound("2026-03-05"));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+14:00")]
    [InlineData("9999-12-31T23:59:59-14:00")]
    public void A_timestamp_bound_whose_utc_moment_is_no_datetime_is_refused(string text)
    {
        Assert.Null(ListValues.ParseTimestampBound(text, upper: true));
        Assert.Null(ListValues.ParseDateBound(text));
    }

    // Cause 4: money filters beyond the stored range overflowed the cents conversion.
    [Theory]
    [InlineData("92233720368547758.08")]
    [InlineData("-92233720368547758.08")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("100000000000000000000")]
    public void An_amount_bound_that_whole_cents_cannot_hold_is_refused(string text)
    {
        Assert.Null(ListValues.ParseAmount(text));
    }

    [Fact]
    public void The_largest_amount_bound_is_accepted()
    {
        Assert.Equal(92233720368547758.07m, ListValues.ParseAmount("92233720368547758.07"));
        Assert.Equal(-92233720368547758.07m, ListValues.ParseAmount("-92233720368547758.07"));
        Assert.Equal(92233720368547758.07m, StoredRange.MaxAmount);
    }

    // Cause 5 (and every other body date): a timestamp near the maximum plus a duration overflowed.
    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("2101-01-01T00:00:00Z")]
    [InlineData("2100-12-31T23:30:00-01:00")]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public void A_body_timestamp_outside_the_range_is_invalid(string text)
    {
        var validator = new FieldValidator();

        Assert.Null(validator.Timestamp("startedAt", text));
        Assert.Equal("invalid", validator.Errors["startedAt"]);
    }

    [Theory]
    [InlineData("2100-12-31T23:59:59Z")]
    [InlineData("2000-01-01T00:00:00Z")]
    [InlineData("2000-01-01T00:30:00-01:00")]
    public void A_body_timestamp_at_the_edges_of_the_range_is_kept(string text)
    {
        var validator = new FieldValidator();

        Assert.NotNull(validator.Timestamp("startedAt", text));
        Assert.True(validator.IsValid);
    }

    [Theory]
    [InlineData("9999-12-31", "invalid")]
    [InlineData("0001-01-01", "invalid")]
    [InlineData("1999-12-31", "invalid")]
    [InlineData("2101-01-01", "invalid")]
    [InlineData("2024-02-30", "invalid_date")]
    public void A_body_date_outside_the_range_or_not_a_date_is_refused(string text, string reason)
    {
        var validator = new FieldValidator();

        Assert.Null(validator.Date("entryDate", text));
        Assert.Equal(reason, validator.Errors["entryDate"]);
    }

    [Fact]
    public void A_body_date_at_the_edges_of_the_range_is_kept()
    {
        var validator = new FieldValidator();

        Assert.Equal(StoredRange.MinDate, validator.Date("startDate", "2000-01-01"));
        Assert.Equal(StoredRange.MaxDate, validator.Date("dueDate", "2100-12-31"));
        Assert.True(validator.IsValid);
    }

    [Theory]
    [InlineData("92233720368547758.08")]
    [InlineData("-92233720368547758.08")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("1e20")]
    public void A_body_number_beyond_what_is_stored_is_too_large(string text)
    {
        var validator = new FieldValidator();

        Assert.Null(validator.DecimalNumber("amount", text, maxDecimals: 2, positive: true));
        Assert.Equal("too_large", validator.Errors["amount"]);
    }

    [Theory]
    [InlineData("1e309")]
    [InlineData("1E+400")]
    [InlineData("NaN")]
    public void A_body_number_no_decimal_holds_is_not_a_decimal(string text)
    {
        var validator = new FieldValidator();

        Assert.Null(validator.DecimalNumber("amount", text));
        Assert.Equal("not_a_decimal", validator.Errors["amount"]);
    }

    // PostgreSQL holds no NUL in text (error 22021): a NUL in any body text was a 500 there.
    [Theory]
    [InlineData("a\0b")]
    [InlineData("\u0001")]
    [InlineData("bell\u0007")]
    [InlineData("esc\u001b[31m")]
    public void Body_text_with_a_control_character_is_invalid(string text)
    {
        var validator = new FieldValidator();

        validator.Text("name", text, 200);
        Assert.Equal("invalid", validator.Errors["name"]);
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("a\ttab")]
    [InlineData("windows\r\nlines")]
    [InlineData("😀 ſ \u212a é")]
    public void Body_text_keeps_tabs_line_breaks_and_any_other_character(string text)
    {
        var validator = new FieldValidator();

        Assert.Equal(text, validator.Text("notes", text, 5000));
        Assert.True(validator.IsValid);
    }

    // Cause 1: a lone surrogate escape is JSON the parser accepts, but no string can hold it.
    [Theory]
    [InlineData("""{"name":"\ud800"}""", false)]
    [InlineData("""{"\udfff":1}""", false)]
    [InlineData("""{"tags":["ok","\udc00\ud800"]}""", false)]
    [InlineData("""{"name":"\ud83d\ude00 pair"}""", true)]
    [InlineData("""{"name":"\u0000"}""", true)]
    public void A_body_is_text_unless_it_holds_a_lone_surrogate(string json, bool text)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(text, JsonBody<object>.IsText(document.RootElement));
    }

    // Any failure to read a body is the request's: 400 in the envelope (via BadHttpRequestException), never 500.
    [Fact]
    public async Task A_body_that_breaks_off_while_being_read_is_a_400()
    {
        var services = new ServiceCollection().AddOptions().Configure<JsonOptions>(_ => { }).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.ContentType = "application/json";
        context.Request.Body = new BreakingStream();

        var refused = await Assert.ThrowsAsync<BadHttpRequestException>(async () => await JsonBody<object>.BindAsync(context, null!));

        Assert.Equal(StatusCodes.Status400BadRequest, refused.StatusCode);
        Assert.Equal(JsonBody<object>.UnreadableBody, refused.Message);
        Assert.IsType<IOException>(refused.InnerException);
    }

    /// <summary>A request body that sends a byte, then fails the way a dropped connection does.</summary>
    private sealed class BreakingStream : Stream
    {
        private bool _sent;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_sent)
            {
                throw new IOException("The connection was reset.");
            }

            _sent = true;
            buffer[offset] = (byte)'{';
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
