using System.Globalization;
using System.Net;
using System.Text;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The Prometheus endpoint (README, "Operating it"): off unless <c>Metrics:Enabled</c>; when on, ASP.NET
/// Core's request-duration histogram by route and status and the server's own counters, with their labels.
/// </summary>
public class MetricsTests
{
    /// <summary>Rate limits on (budgets of conventions.md, a clock that stands still) and metrics on.</summary>
    public sealed class MetricsFactory() : RateLimitedFactory(new Dictionary<string, string?> { ["Metrics:Enabled"] = "true" }, new FakeClock(DateTimeOffset.UtcNow));

    [Fact]
    public async Task Metrics_are_not_served_unless_enabled()
    {
        await using var factory = new ApiFactory();

        var response = await factory.ClientWith(null).GetAsync("/metrics");

        await response.AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task A_scrape_shows_requests_by_route_and_status_and_the_servers_own_counters()
    {
        await using var factory = new MetricsFactory();
        var workspace = await factory.CreateWorkspaceAsync();

        // A Studio token's burst: 30 requests × 200, then one 429 from the burst bucket.
        var limited = factory.ClientWith((await workspace.MintAsync(workspace.OwnerId, "limited")).Token);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await limited.GetAsync("/api/v1/me")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await limited.GetAsync("/api/v1/me")).StatusCode);

        // One POST, its retry (replayed), and the key reused for another body (409).
        var poster = factory.ClientWith((await workspace.MintAsync(workspace.OwnerId, "poster")).Token, idempotencyKeys: false);
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await poster.SendAsync(Post("/api/v1/clients", """{"name":"Metered"}""", key))).StatusCode);
        var replay = await poster.SendAsync(Post("/api/v1/clients", """{"name":"Metered"}""", key));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(HttpStatusCode.Conflict, (await poster.SendAsync(Post("/api/v1/clients", """{"name":"Other"}""", key))).StatusCode);

        // Without a valid token: 10 a minute per client IP, then 429.
        var guesser = factory.ClientWith("hsk_test_0123456789ab_" + new string('x', 32));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/v1/me")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync("/api/v1/me")).StatusCode);

        var scrape = await ScrapeUntilAsync(factory, s => Count(s, "http_server_request_duration_seconds_count", ("http_route", "/api/v1/me"), ("http_response_status_code", "429")) == 2);

        Assert.Equal(30, Count(scrape, "http_server_request_duration_seconds_count", ("http_request_method", "GET"), ("http_route", "/api/v1/me"), ("http_response_status_code", "200")));
        Assert.Equal(10, Count(scrape, "http_server_request_duration_seconds_count", ("http_route", "/api/v1/me"), ("http_response_status_code", "401")));
        Assert.Equal(2, Count(scrape, "http_server_request_duration_seconds_count", ("http_request_method", "POST"), ("http_route", "/api/v1/clients/"), ("http_response_status_code", "201")));
        Assert.Equal(1, Count(scrape, "http_server_request_duration_seconds_count", ("http_route", "/api/v1/clients/"), ("http_response_status_code", "409")));
        Assert.Contains(scrape, s => s.Name == "http_server_request_duration_seconds_bucket" && s.Labels.GetValueOrDefault("http_route") == "/api/v1/me" && s.Labels.ContainsKey("le"));

        Assert.Equal(1, Count(scrape, "hoursmith_rate_limit_refusals_total", ("plan", "studio"), ("bucket", "burst")));
        Assert.Equal(1, Count(scrape, "hoursmith_rate_limit_refusals_total", ("plan", "unauthenticated"), ("bucket", "sustained")));
        Assert.Equal(2, Count(scrape, "hoursmith_rate_limit_refusals_total"));
        Assert.Equal(1, Count(scrape, "hoursmith_idempotency_replays_total"));
        Assert.Equal(1, Count(scrape, "hoursmith_idempotency_conflicts_total", ("reason", "different_request")));

        // The Redis fallback gauge exists when Redis is configured: 0 while it is in use.
        var fallback = scrape.Where(s => s.Name == "hoursmith_redis_fallback").ToList();
        if (TestRedis.FromEnvironment is null)
        {
            Assert.Empty(fallback);
        }
        else
        {
            Assert.Equal(0, Assert.Single(fallback).Value);
        }
    }

    private static HttpRequestMessage Post(string path, string json, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    /// <summary>One sample line of the Prometheus text format: name, labels, value.</summary>
    public sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    /// <summary>The sum of the samples of <paramref name="name"/> that carry every one of <paramref name="labels"/>.</summary>
    private static double Count(IReadOnlyList<Sample> scrape, string name, params (string Key, string Value)[] labels) =>
        scrape.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds: a request's duration is recorded as it ends, after its
    /// response reached the client, and the exporter reuses a scrape for a moment.
    /// </summary>
    private static async Task<IReadOnlyList<Sample>> ScrapeUntilAsync(ApiFactory factory, Func<IReadOnlyList<Sample>, bool> done)
    {
        var client = factory.ClientWith(null);
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            var samples = Parse(text);
            if (done(samples) || attempt == 100)
            {
                Assert.True(done(samples), $"the scrape never showed what was asked:\n{text}");
                return samples;
            }

            await Task.Delay(100);
        }
    }

    internal static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var labels = new Dictionary<string, string>();
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            string name;
            if (brace >= 0 && brace < space)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                foreach (var pair in SplitLabels(line[(brace + 1)..close]))
                {
                    labels[pair.Key] = pair.Value;
                }

                space = line.IndexOf(' ', close);
            }
            else
            {
                name = line[..line.IndexOf(' ', StringComparison.Ordinal)];
                space = name.Length;
            }

            var value = line[(space + 1)..].Split(' ')[0];
            samples.Add(new Sample(name, labels, double.Parse(value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    private static IEnumerable<KeyValuePair<string, string>> SplitLabels(string labels)
    {
        var i = 0;
        while (i < labels.Length)
        {
            var equals = labels.IndexOf('=', i);
            var key = labels[i..equals].Trim(',', ' ');
            var value = new StringBuilder();
            var j = equals + 2; // after ="
            for (; labels[j] != '"'; j++)
            {
                value.Append(labels[j] == '\\' ? labels[++j] : labels[j]);
            }

            yield return new(key, value.ToString());
            i = j + 1;
        }
    }
}
