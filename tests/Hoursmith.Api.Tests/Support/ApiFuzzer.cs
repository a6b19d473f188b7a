using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Hoursmith.Api.Tests.Support;

/// <summary>One operation of the OpenAPI document, as much of it as the fuzzer uses.</summary>
/// <param name="Deletes">Its summary or description says it deletes (soft-deletes, as a task's archive does): the row is gone afterwards.</param>
public sealed record FuzzOperation(string Method, string Path, IReadOnlyList<FuzzField> Parameters, IReadOnlyList<FuzzField>? Body, bool Deletes)
{
    public override string ToString() => $"{Method} {Path}";

    /// <summary>Every <c>/api/v1</c> operation of the document, with its body schema's properties resolved.</summary>
    public static IReadOnlyList<FuzzOperation> From(JsonElement document)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var operations = new List<FuzzOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => FuzzField.From(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!, p.GetProperty("schema"))).ToList()
                    : [];
                List<FuzzField>? body = null;
                if (operation.Value.TryGetProperty("requestBody", out var requestBody))
                {
                    var schema = requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema");
                    if (schema.TryGetProperty("$ref", out var reference))
                    {
                        schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
                    }

                    body = [.. schema.GetProperty("properties").EnumerateObject().Select(p => FuzzField.From(p.Name, "body", p.Value))];
                }

                var method = operation.Name.ToUpperInvariant();
                var summary = (operation.Value.TryGetProperty("summary", out var text) ? text.GetString() ?? "" : "") + " " +
                    (operation.Value.TryGetProperty("description", out var description) ? description.GetString() ?? "" : "");
                operations.Add(new FuzzOperation(method, path.Name, parameters, body, summary.Contains("delete", StringComparison.OrdinalIgnoreCase)));
            }
        }

        return operations;
    }
}

/// <summary>What kind of value a parameter or body property takes: from its schema, and from its name where the schema is loose.</summary>
public enum FuzzKind
{
    Text, Id, IdList, Date, Timestamp, Number, WholeNumber, Boolean, Enum, TextList, Duration, Currency, Email, Limit, Cursor, Sort, Search,
}

public sealed record FuzzField(string Name, string In, FuzzKind Kind, IReadOnlyList<string> Enum, int? MaxLength)
{
    public static FuzzField From(string name, string @in, JsonElement schema)
    {
        var types = !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [type.GetString()!];
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var values = schema.TryGetProperty("enum", out var e) ? e.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList() : [];
        int? maxLength = schema.TryGetProperty("maxLength", out var max) ? max.GetInt32() : null;
        var itemsType = schema.TryGetProperty("items", out var items) && items.TryGetProperty("type", out var it) ? it.GetString() : null;
        var kind = name switch
        {
            "limit" => FuzzKind.Limit,
            "cursor" => FuzzKind.Cursor,
            "sort" => FuzzKind.Sort,
            "search" => FuzzKind.Search,
            "duration" => FuzzKind.Duration,
            "currency" => FuzzKind.Currency,
            _ when values.Count > 0 => FuzzKind.Enum,
            _ when types.Contains("array") => name.EndsWith("Ids", StringComparison.Ordinal) ? FuzzKind.IdList : itemsType == "string" ? FuzzKind.TextList : FuzzKind.Text,
            _ when format == "uuid" || name.EndsWith("Id", StringComparison.Ordinal) || name == "id" => FuzzKind.Id,
            _ when format == "date" || name.EndsWith("Date", StringComparison.Ordinal) || name.EndsWith("DateFrom", StringComparison.Ordinal) || name.EndsWith("DateTo", StringComparison.Ordinal) => FuzzKind.Date,
            _ when format == "date-time" || name.EndsWith("At", StringComparison.Ordinal) || name.EndsWith("AtFrom", StringComparison.Ordinal) || name.EndsWith("AtTo", StringComparison.Ordinal) => FuzzKind.Timestamp,
            _ when format == "boolean" || types.Contains("boolean") => FuzzKind.Boolean,
            _ when format is "integer" or "int32" or "int64" || types.Contains("integer") => FuzzKind.WholeNumber,
            // Money and other decimals are "a number or a decimal string": the schema leaves them open.
            _ when format == "decimal" || types.Count == 0 => FuzzKind.Number,
            _ when name.Contains("mail", StringComparison.OrdinalIgnoreCase) => FuzzKind.Email,
            _ => FuzzKind.Text,
        };
        return new FuzzField(name, @in, kind, values, maxLength);
    }
}

/// <summary>A value to send: text (a JSON string in a body, the value itself in a query), or raw JSON.</summary>
public abstract record FuzzValue
{
    public sealed record Text(string Value) : FuzzValue;

    /// <summary>A JSON fragment as written (numbers, literals, objects, arrays, malformed text); in a query, its text.</summary>
    public sealed record Raw(string Json) : FuzzValue;
}

/// <summary>
/// The generators: sane values (so requests get past validation and deeper code runs), boundary
/// values (the extremes a store or an arithmetic might not take), and hostile ones (wrong types,
/// control and non-BMP characters, lone surrogates, huge and deeply nested values). Leaves are CsCheck
/// generators; everything is drawn from one <see cref="PCG"/>, so a seed replays a run.
/// </summary>
public sealed class FuzzValues(PCG pcg)
{
    public T Next<T>(Gen<T> gen) => gen.Generate(pcg, null, out Size _);

    public int Between(int min, int max) => Next(Gen.Int[min, max]);

    public bool Chance(int percent) => Between(1, 100) <= percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Between(0, items.Count - 1)];

    private static readonly Gen<char> s_plain = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.'"];

    private static readonly Gen<string> s_word = Gen.String[s_plain, 1, 24];

    /// <summary>Characters that break parsers, query languages and stores when they are not handled.</summary>
    private static readonly string[] s_hostileParts =
    [
        "\0", "\u0001", "\u001f", "\t", "\n", "\r\n", "\u007f", "\u0085", "\u00a0", "\u200b", "\u200e", "\u202e", "\ufeff", "\ufffe", "\uffff",
        "\ud800", "\udfff", "\udc00\ud800", "😀", "\U0001F600\u200d\U0001F680", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ſ", "\u212a", "ß", "İ", "ς", "É", "中文",
        "\"", "'", "\\", "%", "_", "*", "^", ":", "{", "}", "(", ")", "\" OR 1=1 --", "'; DROP TABLE \"Clients\"; --", "NEAR(a b)", "a AND b", "NOT",
        "{Name} : \"x\"", "\\u0000", "%00", "../..", "<script>", "${jndi:x}", "\u0301", "ﷺ", "\U000E0001",
    ];

    public string HostileText()
    {
        var builder = new StringBuilder();
        var parts = Between(1, 6);
        for (var i = 0; i < parts; i++)
        {
            builder.Append(Chance(50) ? Pick(s_hostileParts) : Next(s_word));
        }

        return builder.ToString();
    }

    public string SaneText() => Next(s_word).Trim() is { Length: > 0 } word ? word : "Fuzz";

    private static readonly string[] s_hugeNumbers =
    [
        "1e309", "-1e309", "1E+400", "1e-400", "-0", "-0.0", "0", "0.0", "1e0", "1E2", "-1", "0.001", "0.005", "1.999", "12.345",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "2147483647", "2147483648", "-2147483649", "86400", "86401", "92233720368547758.07", "92233720368547758.08", "-92233720368547758.08",
        "79228162514264337593543950335", "79228162514264337593543950336", "-79228162514264337593543950336", "0.0000000000000000000000000001",
        "0.00000000000000000000000000001", "1" + new string('0', 400), "3.14159265358979323846264338327950288419716939937510",
        "1e28", "1e-28", "7.9228162514264337593543950335e28", "5e-324", "1.7976931348623157e308",
    ];

    private static readonly string[] s_badNumberTexts = ["NaN", "Infinity", "-Infinity", "0x10", "1.", ".5", "00012", "+1", "1_000", "1,5", "١٢", "１２", "12 ", " 12", "1e", "--1"];

    public string BoundaryNumber() => Pick(s_hugeNumbers);

    public FuzzValue Number(int level) => level switch
    {
        0 => new FuzzValue.Raw(Pick(["12.5", "100", "0.5", "1", "99.99", "2500"])),
        1 => Chance(50) ? new FuzzValue.Raw(BoundaryNumber()) : new FuzzValue.Text(BoundaryNumber()),
        _ => Chance(50) ? new FuzzValue.Text(Pick(s_badNumberTexts)) : new FuzzValue.Raw(Pick(s_badNumberTexts)),
    };

    private static readonly string[] s_boundaryDates =
    [
        "0001-01-01", "9999-12-31", "2024-02-30", "2023-02-29", "2024-02-29", "1999-12-31", "2000-01-01", "2100-12-31", "2101-01-01",
        "1970-01-01", "1900-01-01", "2024-13-01", "2024-00-10", "2024-01-32", "0000-01-01", "10000-01-01", "+002024-01-01", "-0001-01-01",
        "2024-1-1", "20240101", "2024/01/01", "01-02-2024", "2024-01-01T00:00:00Z", "2024-W01-1", "2024-001",
    ];

    private static readonly string[] s_boundaryTimestamps =
    [
        "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-14:00", "2024-02-30T00:00:00Z", "2100-12-31T23:59:59Z", "2100-12-31T23:59:59-01:00",
        "2100-12-31T23:00:00Z", "1999-12-31T23:59:59Z", "2000-01-01T00:00:00Z", "2000-01-01T00:30:00+01:00", "2026-03-01T10:00:00+23:59",
        "2026-03-01T10:00:00+24:00", "2026-03-01T10:00:00-25:00", "2026-03-01T10:00:00+05:45", "2026-03-01T10:00:00.123456789Z",
        "2026-03-01T24:00:00Z", "2026-03-01T23:59:60Z", "2026-03-01T10:00", "2026-03-01 10:00:00", "2026-03-01T10:00:00z", "2026-03-01", "9999-12-31",
        "0001-01-01", "1970-01-01T00:00:00Z", "March 5, 2026", "1700000000", "2026-03-01T10:00:00+0530", "2026-03-01T10:00:00.Z",
    ];

    public FuzzValue Date(int level) => level switch
    {
        0 => new FuzzValue.Text(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-Between(0, 400)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        1 => new FuzzValue.Text(Pick(s_boundaryDates)),
        _ => Hostile(),
    };

    /// <param name="late">A sane value for the end of a span (stoppedAt): after any sane start, within a day of it.</param>
    public FuzzValue Timestamp(int level, bool late = false) => level switch
    {
        0 => new FuzzValue.Text(DateTime.UtcNow.Date.AddDays(-1).AddHours(late ? 12 : 8).AddMinutes(Between(0, 180)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        1 => new FuzzValue.Text(Pick(s_boundaryTimestamps)),
        _ => Hostile(),
    };

    /// <summary>Wrong JSON types, hostile text, deep and huge values: what no schema allows.</summary>
    public FuzzValue Hostile() => Between(0, 11) switch
    {
        0 => new FuzzValue.Raw(Pick(["true", "false", "null", "{}", "[]", "[null]", "{\"a\":1}", "[1,\"x\",{}]"])),
        1 => new FuzzValue.Raw(BoundaryNumber()),
        2 => new FuzzValue.Raw(Deep(Between(2, 80))),
        3 => new FuzzValue.Text(new string(Pick(['x', 'é', '\0', ' ']), Pick([201, 256, 501, 2001, 5001, 70_000]))),
        4 => new FuzzValue.Text(Pick(s_boundaryDates)),
        5 => new FuzzValue.Text(Pick(s_boundaryTimestamps)),
        6 => new FuzzValue.Text(Pick(["", " ", "\t", "null", "undefined", "true", "0", "-0", "NaN", "1e309", "00000000-0000-0000-0000-000000000000", "{00000000-0000-0000-0000-000000000000}"])),
        7 => new FuzzValue.Raw(Pick(s_badNumberTexts)),
        _ => new FuzzValue.Text(HostileText()),
    };

    public string Deep(int depth) => Chance(50)
        ? string.Concat(Enumerable.Repeat("[", depth)) + "1" + string.Concat(Enumerable.Repeat("]", depth))
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + string.Concat(Enumerable.Repeat("}", depth));

    /// <summary>A random UUID in one of its spellings (drawn from the seed, so a replay sends the same).</summary>
    public string Uuid() => Next(Gen.Guid).ToString(Pick(["D", "D", "N", "B", "P"]), CultureInfo.InvariantCulture);

    /// <summary>A JSON string literal: lone surrogates as <c>\uXXXX</c> escapes (the way an attacker sends them), pairs as UTF-8.</summary>
    public static string JsonString(string text)
    {
        var builder = new StringBuilder("\"");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }

    public static string Json(FuzzValue value) => value switch
    {
        FuzzValue.Text text => JsonString(text.Value),
        FuzzValue.Raw raw => raw.Json,
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>Percent-encoded UTF-8; a lone surrogate as the bytes of its (invalid) UTF-8 encoding.</summary>
    public static string Percent(string text)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                builder.Append(CultureInfo.InvariantCulture, $"%{0xE0 | (c >> 12):X2}%{0x80 | ((c >> 6) & 0x3F):X2}%{0x80 | (c & 0x3F):X2}");
                continue;
            }

            var length = char.IsHighSurrogate(c) ? 2 : 1;
            foreach (var b in Encoding.UTF8.GetBytes(text.Substring(i, length)))
            {
                builder.Append(b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~'
                    ? ((char)b).ToString()
                    : string.Create(CultureInfo.InvariantCulture, $"%{b:X2}"));
            }

            i += length - 1;
        }

        return builder.ToString();
    }
}

/// <summary>A generated request, kept as data so a failure can print it exactly.</summary>
/// <param name="Members">The body's members as generated (name, JSON value), when it is an object the generator composed.</param>
public sealed record FuzzRequest(int Index, FuzzOperation Operation, string Method, string Url, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>>? Members = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url);
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            message.Content.Headers.Remove("Content-Type");
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    /// <summary>The request as text, bytes outside printable ASCII escaped, long bodies cut.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"#{Index} {Method} {Url}   [{Operation}]");
        foreach (var (name, value) in Headers)
        {
            text.Append($"\n  {name}: {Escape(value.Length > 300 ? value[..300] + "…" : value)}");
        }

        if (Body is not null)
        {
            text.Append($"\n  Content-Type: {ContentType ?? "(none)"}\n  body ({Body.Length} bytes): ");
            var shown = Body.Length > 1500 ? Body[..1500] : Body;
            foreach (var b in shown)
            {
                text.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"));
            }

            if (shown.Length < Body.Length)
            {
                text.Append('…');
            }
        }

        return text.ToString();
    }

    private static string Escape(string value) =>
        string.Concat(value.Select(c => c is >= ' ' and < '\u007f' ? c.ToString() : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}")));
}

/// <summary>Ids of real rows by collection (so requests reach deeper than a 404), cursors seen, POSTs sent.</summary>
public sealed class FuzzPools
{
    private const int Cap = 200;

    public Dictionary<string, List<Guid>> Ids { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows made in setup: never deleted, so later requests keep finding them.</summary>
    public HashSet<Guid> Protected { get; } = [];

    public List<string> Cursors { get; } = [];

    public List<FuzzRequest> Posts { get; } = [];

    /// <summary>
    /// Bodies that were accepted (2xx), by collection: setup's, then every one the fuzz got through.
    /// Mutating one field of a body that works probes one boundary deep in the handler.
    /// </summary>
    public Dictionary<string, List<IReadOnlyList<KeyValuePair<string, string>>>> Corpus { get; } = new(StringComparer.Ordinal);

    public void AddExample(string collection, IReadOnlyList<KeyValuePair<string, string>> members)
    {
        var examples = Corpus.TryGetValue(collection, out var list) ? list : Corpus[collection] = [];
        if (examples.Count >= 30)
        {
            examples.RemoveAt(1); // the first is setup's
        }

        examples.Add(members);
    }

    public void Add(string collection, Guid id, bool protect = false)
    {
        var ids = Ids.TryGetValue(collection, out var list) ? list : Ids[collection] = [];
        if (!ids.Contains(id))
        {
            if (ids.Count >= Cap)
            {
                ids.RemoveAt(ids.FindIndex(i => !Protected.Contains(i)));
            }

            ids.Add(id);
        }

        if (protect)
        {
            Protected.Add(id);
        }
    }

    /// <summary>A row the fuzz deleted: later requests should mostly find rows that exist.</summary>
    public void Remove(string collection, Guid id)
    {
        if (!Protected.Contains(id) && Ids.TryGetValue(collection, out var ids))
        {
            ids.Remove(id);
        }
    }

    public void AddCursor(string cursor)
    {
        if (Cursors.Count >= 50)
        {
            Cursors.RemoveAt(0);
        }

        Cursors.Add(cursor);
    }

    public void AddPost(FuzzRequest request)
    {
        if (Posts.Count >= 50)
        {
            Posts.RemoveAt(0);
        }

        Posts.Add(request);
    }

    /// <summary>The collection a field's ids come from: <c>clientId</c> → clients, a path's <c>{id}</c> → its own.</summary>
    public static string CollectionOf(string field, string path) => field switch
    {
        "clientId" => "clients",
        "projectId" => "projects",
        "taskId" => "tasks",
        "invoiceId" => "invoices",
        "userId" or "assigneeId" or "assigneeIds" => "members",
        _ => path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2) ?? "",
    };
}

/// <summary>
/// Requests for the operations of the OpenAPI document: bodies, query strings, path ids and headers,
/// each sane, at a boundary, or hostile, mixed so that most requests get past the first check.
/// </summary>
public sealed class FuzzRequests(FuzzValues v, FuzzPools pools, string ownerToken, string memberToken)
{
    public FuzzRequest Next(int index, IReadOnlyList<FuzzOperation> operations)
    {
        var operation = v.Pick(operations);
        if (operation.Method == "POST" && pools.Posts.Count > 0 && v.Chance(4))
        {
            // A retry: the same key and body again (a replay), or the same key with another body (409).
            var earlier = v.Pick(pools.Posts);
            return earlier with { Index = index };
        }

        var headers = new List<KeyValuePair<string, string>>();
        AddAuthorization(headers);
        var method = v.Chance(3) ? v.Pick(["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "POST", "GET", "TRACE"]) : operation.Method;
        if (method == "POST")
        {
            AddIdempotencyKey(headers);
        }

        if (v.Chance(8))
        {
            headers.Add(new("X-Request-Id", v.Pick(["", "x", new string('a', 129), "id with spaces", "ümlaut", "a\u0001b", "${jndi:x}", v.Uuid()])));
        }

        if (v.Chance(5))
        {
            headers.Add(new("Accept", v.Pick(["text/html", "application/xml", "*/*;q=0", "application/json; charset=utf-16", "\u00ff", ""])));
        }

        var url = Path(operation, method) + Query(operation);
        byte[]? body = null;
        string? contentType = null;
        IReadOnlyList<KeyValuePair<string, string>>? members = null;
        if (operation.Body is not null || v.Chance(5))
        {
            (body, members) = Body(operation);
            contentType = v.Chance(90) ? "application/json" : v.Pick(["text/plain", "application/json; charset=utf-16", "application/merge-patch+json",
                "application/json; charset=\"x\"", "application/x-www-form-urlencoded", "application/json;;;", "*/*", "application/jsonx", null]);
        }

        return new FuzzRequest(index, operation, method, url, headers, body, contentType, members);
    }

    private void AddAuthorization(List<KeyValuePair<string, string>> headers)
    {
        var roll = v.Between(1, 100);
        var value = roll switch
        {
            <= 75 => $"Bearer {ownerToken}",
            <= 95 => $"Bearer {memberToken}",
            _ => v.Pick([null, "Bearer", "Bearer ", "Basic Zm9vOmJhcg==", $"Bearer {ownerToken}x", $"bearer {ownerToken}", $"Bearer {ownerToken[..^1]}",
                "Bearer hsk_test_000000000000_" + new string('A', 32), "Bearer hsk_live_zz", $"Bearer  {ownerToken}", "Bearer \u00e9\u0000"]),
        };
        if (value is not null)
        {
            headers.Add(new("Authorization", value));
        }
    }

    private void AddIdempotencyKey(List<KeyValuePair<string, string>> headers)
    {
        if (v.Chance(88))
        {
            headers.Add(new("Idempotency-Key", v.Uuid()));
            return;
        }

        if (v.Chance(30) && pools.Posts.Count > 0)
        {
            // An earlier key with whatever body this request gets: 409 unless the bodies match.
            headers.AddRange(v.Pick(pools.Posts).Headers.Where(h => h.Key == "Idempotency-Key"));
            return;
        }

        var hostile = v.Pick<string?>([null, "", " ", new string('k', 255), new string('k', 256), "ключ", "a\u0001b", "a\tb", "\u00a0", v.HostileText()]);
        if (hostile is not null)
        {
            headers.Add(new("Idempotency-Key", hostile));
        }

        if (v.Chance(20))
        {
            headers.Add(new("Idempotency-Key", v.Uuid()));
        }
    }

    private string Path(FuzzOperation operation, string method)
    {
        var segments = operation.Path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i] is ['{', .., '}'] parameter)
            {
                var name = parameter[1..^1];
                segments[i] = PathId(FuzzPools.CollectionOf(name == "id" ? "" : name, operation.Path), deleting: method == "DELETE" || (method == operation.Method && operation.Deletes));
            }
        }

        return string.Join('/', segments);
    }

    private string PathId(string collection, bool deleting)
    {
        var roll = v.Between(1, 100);
        if (roll <= 75 && pools.Ids.TryGetValue(collection, out var ids))
        {
            // Rows made in setup are kept (a DELETE gets another), so later requests still find them.
            var candidates = deleting ? ids.Where(id => !pools.Protected.Contains(id)).ToList() : ids;
            if (candidates.Count > 0)
            {
                return v.Pick(candidates).ToString();
            }
        }

        if (roll <= 85)
        {
            // A real row, of any collection.
            var any = pools.Ids.Values.SelectMany(ids => ids).Where(id => !deleting || !pools.Protected.Contains(id)).ToList();
            if (any.Count > 0)
            {
                return v.Pick(any).ToString();
            }
        }

        // No NUL: Kestrel refuses a path holding one (%00) with its own 400 before the app sees it (and the test host throws).
        return roll <= 93 ? v.Uuid() : FuzzValues.Percent(v.Pick(["not-a-uuid", "1", "0", "-1", "null", "..", "%", " ", v.HostileText(), new string('f', 300), "00000000-0000-0000-0000-00000000000g"]).Replace("\0", "", StringComparison.Ordinal));
    }

    private string Query(FuzzOperation operation)
    {
        var fields = operation.Parameters.Where(p => p.In == "query").ToList();
        if (fields.Count == 0 && !v.Chance(10))
        {
            return "";
        }

        var pairs = new List<string>();
        var count = fields.Count == 0 ? 0 : v.Pick([0, 1, 1, 2, 2, 3, 4, 6]);
        for (var i = 0; i < count; i++)
        {
            var field = v.Pick(fields);
            pairs.Add($"{field.Name}={QueryText(Value(field, Level(), operation.Path))}");
            if (v.Chance(5))
            {
                // The same parameter twice: the last one counts.
                pairs.Add($"{field.Name}={QueryText(Value(field, Level(), operation.Path))}");
            }
        }

        if (v.Chance(8))
        {
            pairs.Add($"{v.Pick(["unknown", "Limit", "SEARCH", "filter[name]", "a%00b", "%ZZ", "", "=", "&"])}={QueryText(v.Hostile())}");
        }

        if (v.Chance(4) && fields.Count > 0)
        {
            // Percent-encoding that decodes to no valid UTF-8, or not at all.
            pairs.Add($"{v.Pick(fields).Name}={v.Pick(["%", "%Z", "%ZZ", "%00", "%C0%80", "%ED%A0%80", "%FF%FE", "%E2%82", "a%2", "%%", "+%2B+"])}");
        }

        return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs);
    }

    private static string QueryText(FuzzValue value) => value switch
    {
        FuzzValue.Text text => FuzzValues.Percent(text.Value),
        FuzzValue.Raw raw => FuzzValues.Percent(raw.Json),
        _ => "",
    };

    /// <summary>0 sane, 1 boundary, 2 hostile.</summary>
    private int Level() => v.Between(1, 100) switch
    {
        <= 50 => 0,
        <= 80 => 1,
        _ => 2,
    };

    private (byte[] Body, IReadOnlyList<KeyValuePair<string, string>>? Members) Body(FuzzOperation operation)
    {
        var properties = operation.Body ?? [];
        var roll = v.Between(1, 100);
        if (roll > 80 || properties.Count == 0)
        {
            return (StructuralBody(properties, operation.Path), null);
        }

        List<KeyValuePair<string, string>> members;
        var collection = FuzzPools.CollectionOf("", operation.Path);
        if (roll <= 35 && pools.Corpus.TryGetValue(collection, out var examples) && examples.Count > 0)
        {
            // A body that worked before (35 %): as it was, a part of it (a PATCH), or with one field
            // set to a boundary or hostile value.
            members = [.. v.Pick(examples).Where(_ => operation.Method == "POST" || v.Chance(50))];
            if (v.Chance(70) && properties.Count > 0)
            {
                var field = v.Pick(properties);
                members.RemoveAll(m => m.Key == field.Name);
                members.Add(new(field.Name, FuzzValues.Json(Value(field, v.Between(1, 2), operation.Path))));
            }
        }
        else
        {
            // Sane values from the schema (to 45 %), one field mutated in an otherwise sane body (to 60 %),
            // or levels mixed freely.
            var chosen = properties.Where(_ => v.Chance(roll <= 60 ? 85 : 60)).ToList();
            var mutated = roll is > 45 and <= 60 && chosen.Count > 0 ? v.Pick(chosen) : null;
            members = [.. chosen.Select(p =>
            {
                var level = roll <= 45 ? 0 : mutated is not null ? (p == mutated ? v.Between(1, 2) : 0) : Level();
                return new KeyValuePair<string, string>(p.Name, FuzzValues.Json(Value(p, level, operation.Path)));
            })];
        }

        if (v.Chance(5))
        {
            members.Add(new(v.Pick(["unknown", "id", "orgId", "createdAt", "invoiceId", "currency", "", v.HostileText()]), FuzzValues.Json(v.Hostile())));
        }

        if (v.Chance(5) && members.Count > 0)
        {
            members.Add(v.Pick(members)); // a duplicate key
        }

        var json = "{" + string.Join(',', members.Select(m => $"{FuzzValues.JsonString(m.Key)}:{m.Value}")) + "}";
        return (Encoding.UTF8.GetBytes(json), members);
    }

    private byte[] StructuralBody(IReadOnlyList<FuzzField> properties, string path)
    {
        var name = properties.Count > 0 ? v.Pick(properties).Name : "name";
        var sane = properties.Count > 0 ? FuzzValues.Json(Value(v.Pick(properties), 0, path)) : "\"x\"";
        var text = v.Between(0, 21) switch
        {
            0 => "",
            1 => v.Pick(["null", "[]", "\"x\"", "1", "true", "[{}]", "{}", " "]),
            2 => "{\"" + name + "\":" + sane,
            3 => "{\"" + name + "\":" + sane + ",}",
            4 => "{'" + name + "':'x'}",
            5 => "{\"" + name + "\":NaN}",
            6 => "{\"" + name + "\":1 /* comment */}",
            7 => "{" + string.Concat(Enumerable.Repeat("\"a\":{", 70)) + "}" + string.Concat(Enumerable.Repeat("}", 70)),
            8 => "{\"" + name + "\":" + v.Deep(v.Pick([63, 64, 65, 1000, 5000])) + "}",
            9 => "{\"\\ud800\":1,\"" + name + "\":" + sane + "}",
            10 => "{\"" + name + "\":\"\\ud800\"}",
            11 => "{\"" + name + "\":\"\\udc00\\ud800x\"}",
            12 => "{\"" + name + "\":\"a\\u0000b\"}",
            13 => "{\"" + name + "\":\"tab\there\"}",
            14 => "{" + string.Join(',', Enumerable.Range(0, v.Pick([100, 2000])).Select(i => $"\"k{i}\":{i}")) + "}",
            15 => "{\"" + name + "\":\"" + new string('x', v.Pick([10_000, 300_000, 1_100_000])) + "\"}",
            16 => "{\"" + name + "\":" + sane + ",\"" + name + "\":" + FuzzValues.Json(v.Hostile()) + "}",
            17 => "\ufeff{\"" + name + "\":" + sane + "}",
            _ => "{\"" + name + "\":" + FuzzValues.Json(v.Hostile()) + "}",
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        return v.Between(0, 9) switch
        {
            // Bytes no UTF-8 decoder accepts: an encoded surrogate, an overlong NUL, a stray continuation byte.
            0 => Encoding.UTF8.GetBytes("{\"" + name + "\":\"").Concat(v.Pick<byte[]>([[0xED, 0xA0, 0x80], [0xC0, 0x80], [0x80], [0xFF, 0xFE], [0xF4, 0x90, 0x80, 0x80]])).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray(),
            1 => Encoding.Unicode.GetBytes(text),
            _ => bytes,
        };
    }

    /// <summary>A value for a field at a level: 0 sane, 1 boundary, 2 hostile.</summary>
    private FuzzValue Value(FuzzField field, int level, string path)
    {
        if (level == 2)
        {
            return v.Hostile();
        }

        return field.Kind switch
        {
            FuzzKind.Id => level == 0 ? new FuzzValue.Text(IdOf(FuzzPools.CollectionOf(field.Name, path))) : new FuzzValue.Text(v.Pick([v.Uuid(), Guid.Empty.ToString(), AnyId(), v.Uuid().ToUpperInvariant()])),
            FuzzKind.IdList => new FuzzValue.Raw("[" + string.Join(',', Enumerable.Range(0, level == 0 ? v.Between(0, 2) : v.Pick([1, 3, 21, 200])).Select(_ => FuzzValues.JsonString(level == 0 ? IdOf("members") : v.Pick([v.Uuid(), AnyId(), "x"])))) + "]"),
            FuzzKind.Date => v.Date(level),
            FuzzKind.Timestamp => v.Timestamp(level, late: field.Name.StartsWith("stopped", StringComparison.Ordinal) || field.Name.EndsWith("To", StringComparison.Ordinal)),
            FuzzKind.Number when field.Name.EndsWith("Seconds", StringComparison.Ordinal) || field.Name.EndsWith("SecondsMin", StringComparison.Ordinal) || field.Name.EndsWith("SecondsMax", StringComparison.Ordinal) =>
                level == 0 ? new FuzzValue.Raw(v.Between(1, 86_400).ToString(CultureInfo.InvariantCulture)) : v.Number(1),
            FuzzKind.Number => v.Number(level),
            FuzzKind.WholeNumber => level == 0 ? new FuzzValue.Raw(v.Pick(["0", "7", "14", "30", "60"])) : v.Number(1),
            FuzzKind.Boolean => level == 0 ? new FuzzValue.Raw(v.Pick(["true", "false"])) : v.Pick<FuzzValue>([new FuzzValue.Text("true"), new FuzzValue.Text("yes"), new FuzzValue.Raw("1"), new FuzzValue.Raw("0"), new FuzzValue.Text("TRUE"), new FuzzValue.Text("maybe")]),
            FuzzKind.Enum => new FuzzValue.Text(level == 0 ? v.Pick(field.Enum) : v.Pick([v.Pick(field.Enum).ToLowerInvariant(), " " + v.Pick(field.Enum) + " ", v.Pick(field.Enum) + "X", "Net 30", "Due on receipt", "-1", "999"])),
            FuzzKind.TextList => new FuzzValue.Raw("[" + string.Join(',', Enumerable.Range(0, level == 0 ? v.Between(0, 3) : v.Pick([1, 51, 200])).Select(_ => FuzzValues.JsonString(level == 0 ? v.SaneText() : v.Pick([v.HostileText(), new string('t', 101), "A", "a", " "])))) + "]"),
            FuzzKind.Duration => new FuzzValue.Text(level == 0 ? v.Pick(["1h30m", "90m", "1:30", "1.5h", "2", "45m", "1h 30m"]) : v.Pick(["999999999h", "999999999:59:59", "0", "-1h", "24:00:01", "1e309", "1.5e3h", "1,5h", "1h30m15s20ms", new string('1', 70), "0.0000001h", "86400s", "86401s"])),
            FuzzKind.Currency => new FuzzValue.Text(level == 0 ? v.Pick(["EUR", "USD", "GBP"]) : v.Pick(["eur", "EURO", "€", "XXX", "E", "ÉUR"])),
            FuzzKind.Email => new FuzzValue.Text(level == 0 ? $"fuzz{v.Between(1, 9999)}@example.com" : v.Pick(["a@b", "@", "a@@b.c", new string('a', 330) + "@x.io", "ü@ü.de", "a b@c.d", "\"a\"@b.c"])),
            FuzzKind.Limit => new FuzzValue.Text(level == 0 ? v.Between(1, 200).ToString(CultureInfo.InvariantCulture) : v.Pick(["0", "201", "-1", "1e3", "2147483648", "50.0", "0x10", "٣"])),
            FuzzKind.Cursor => new FuzzValue.Text(level == 0 && pools.Cursors.Count > 0 ? v.Pick(pools.Cursors) : Cursorish()),
            FuzzKind.Sort => new FuzzValue.Text(level == 0 ? v.Pick(field.Enum.Count > 0 ? field.Enum : ["-createdAt"]) : v.Pick(["-", "--name", "name,id", "NAME", "+name", "-id-", "createdAt desc", "password"])),
            FuzzKind.Search => new FuzzValue.Text(level == 0 ? v.SaneText() : v.Pick([new string('a', 200), new string('a', 201), "a", "ab", "abc", "\"", "a\"b", "%", "_", "\\", "*", "NEAR", "ſ", "\u212a", "é", "😀", "ab😀"])),
            FuzzKind.Text when level == 0 => new FuzzValue.Text(v.SaneText()),
            FuzzKind.Text => new FuzzValue.Text(v.Pick([new string('n', v.Pick([32, 33, 50, 51, 100, 101, 200, 201, 500, 501, 2000, 2001, 5000, 5001])), " ", "  x  ", "x\ny", "x\r\ny", "x\ty", "ÉCOLE", "\u00a0", "😀", v.HostileText()])),
            _ => new FuzzValue.Text(v.SaneText()),
        };
    }

    private string IdOf(string collection) =>
        pools.Ids.TryGetValue(collection, out var ids) && ids.Count > 0 ? v.Pick(ids).ToString() : v.Uuid();

    private string AnyId() => pools.Ids.Values.Where(l => l.Count > 0).ToList() is { Count: > 0 } lists ? v.Pick(v.Pick(lists)).ToString() : v.Uuid();

    private string Cursorish()
    {
        if (pools.Cursors.Count > 0 && v.Chance(60))
        {
            // A real cursor, altered: one character changed, cut, padded or re-encoded.
            var cursor = v.Pick(pools.Cursors);
            var at = v.Between(0, cursor.Length - 1);
            return v.Between(0, 4) switch
            {
                0 => cursor[..at] + (cursor[at] == 'A' ? 'B' : 'A') + cursor[(at + 1)..],
                1 => cursor[..at],
                2 => cursor + "==",
                3 => cursor.Replace('-', '+').Replace('_', '/'),
                _ => cursor + cursor,
            };
        }

        return v.Pick(["", "x", "AAAA", "AQ", new string('A', 4000), "!!!!", "eyJpZCI6MX0", "%00", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]);
    }
}
