// A Hoursmith webhook receiver in C# (.NET 10 file-based app, no packages): verifies
// Hoursmith-Signature, rejects stale or tampered deliveries, and handles each event id once.
//
//   WEBHOOK_SECRET=wsk_... PORT=8789 dotnet run receiver.cs
#:sdk Microsoft.NET.Sdk.Web

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

var secret = Environment.GetEnvironmentVariable("WEBHOOK_SECRET") ?? throw new InvalidOperationException("Set WEBHOOK_SECRET to the endpoint's signing secret (wsk_…).");
// Event ids already handled. Keep them in your database (a unique key) so restarts and several
// receiver instances agree; Hoursmith sends the same id on every retry and replay.
var seen = new ConcurrentDictionary<string, bool>();

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{Environment.GetEnvironmentVariable("PORT") ?? "8789"}");
var app = builder.Build();
app.MapPost("/{**path}", async (HttpRequest request) =>
{
    using var buffer = new MemoryStream();
    await request.Body.CopyToAsync(buffer); // verify the raw bytes, never re-serialized JSON
    var raw = buffer.ToArray();
    if (!Signature.Verify(secret, request.Headers["Hoursmith-Signature"].ToString(), raw, DateTimeOffset.UtcNow))
    {
        return Results.Text("invalid signature", statusCode: 400);
    }

    using var json = JsonDocument.Parse(raw);
    var id = json.RootElement.GetProperty("id").GetString()!;
    if (!seen.TryAdd(id, true))
    {
        return Results.Text("duplicate");
    }

    // Handle the event here (quickly: answer within 10 s, queue slow work).
    Console.WriteLine(new JsonObject { ["accepted"] = id, ["type"] = json.RootElement.GetProperty("type").GetString(), ["livemode"] = json.RootElement.GetProperty("livemode").GetBoolean() }.ToJsonString());
    return Results.Text("ok");
});
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("listening"));
app.Run();

static class Signature
{
    private const long ToleranceSeconds = 300;

    /// <summary>True when <paramref name="header"/> ("t=…,v1=…") signs <paramref name="rawBody"/> with <paramref name="secret"/>, and t is fresh.</summary>
    public static bool Verify(string secret, string? header, byte[] rawBody, DateTimeOffset now)
    {
        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in (header ?? "").Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2) continue;
            if (pair[0].Trim() == "t" && long.TryParse(pair[1].Trim(), out var t)) timestamp = t;
            else if (pair[0].Trim() == "v1") signatures.Add(pair[1].Trim());
        }

        if (timestamp is not { } sentAt || Math.Abs(now.ToUnixTimeSeconds() - sentAt) > ToleranceSeconds)
        {
            return false;
        }

        var signed = Encoding.UTF8.GetBytes($"{sentAt}.").Concat(rawBody).ToArray();
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        // Constant-time: a comparison that stops at the first difference tells an attacker how much matched.
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }
}
