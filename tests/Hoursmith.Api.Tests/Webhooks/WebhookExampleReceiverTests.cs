using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Webhooks;

/// <summary>
/// The sample receivers of examples/webhooks (Node, Python, C#), run as they are: each gets a real
/// signed delivery from the server and accepts it, and refuses a tampered body and a stale t; a
/// resent event id is answered as a duplicate.
/// </summary>
public sealed class WebhookExampleReceiverTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string s_examples = Path.Combine(AppProcess.RepositoryRoot, "examples", "webhooks");

    [Theory]
    [InlineData("node", "receiver.mjs")]
    [InlineData("python3", "receiver.py")]
    [InlineData("dotnet", "csharp/receiver.cs")]
    public async Task The_sample_receiver_accepts_a_real_delivery_and_refuses_tampered_and_stale_ones(string runtime, string sample)
    {
        var port = FreePort();
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        using var owner = workspace.Client(token);
        var created = (await (await owner.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = $"http://127.0.0.1:{port}/hooks", events = new[] { "client.created" } })).ReadJsonAsync()).GetProperty("data");
        var secret = created.GetProperty("secret").GetString()!;
        var endpointId = created.GetProperty("id").GetString()!;

        await using var receiver = await SampleProcess.StartAsync(runtime, sample, secret, port);
        await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Sample receiver" });
        var delivered = await factory.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == Guid.Parse(endpointId))
            .Join(db.WebhookEvents, d => d.EventId, e => e.Id, (d, e) => e).SingleAsync());
        await receiver.WaitForLineAsync($"\"accepted\":\"{delivered.Id}\"");
        // The server records the 200 once the response is in.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? status;
        while ((status = (await (await owner.GetAsync($"/api/v1/webhook-endpoints/{endpointId}/deliveries")).ReadJsonAsync()).GetProperty("data")[0].GetProperty("status").GetString()) != "succeeded"
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal("succeeded", status);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var resent = await PostAsync(http, delivered.Body, WebhookSignature.Header(secret, now, delivered.Body));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), resent);
        var tampered = delivered.Body.Replace("Sample receiver", "Sample receiveR", StringComparison.Ordinal);
        Assert.NotEqual(delivered.Body, tampered);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(http, tampered, WebhookSignature.Header(secret, now, delivered.Body))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(http, delivered.Body, WebhookSignature.Header(secret, now - 301, delivered.Body))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(http, delivered.Body, WebhookSignature.Header("wsk_notTheSecret00000000000000000000", now, delivered.Body))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(http, delivered.Body, null)).Status);
        // Only the real delivery was handled.
        Assert.Single(receiver.Lines, line => line.Contains("\"accepted\"", StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode Status, string Text)> PostAsync(HttpClient http, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, signature);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A sample receiver as its header comment says to run it, its stdout kept line by line.</summary>
    private sealed class SampleProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];

        private SampleProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lock (_lines)
                    {
                        _lines.Add(line);
                    }
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lock (_lines)
                    {
                        _lines.Add("stderr: " + line);
                    }
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public static async Task<SampleProcess> StartAsync(string runtime, string sample, string secret, int port)
        {
            var info = new ProcessStartInfo(runtime)
            {
                WorkingDirectory = Path.GetDirectoryName(Path.Combine(s_examples, sample))!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (runtime == "dotnet")
            {
                info.ArgumentList.Add("run");
            }

            info.ArgumentList.Add(Path.GetFileName(sample));
            info.Environment["WEBHOOK_SECRET"] = secret;
            info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";
            var sampleProcess = new SampleProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {runtime}"));
            // The C# sample is compiled on its first run.
            await sampleProcess.WaitForLineAsync("listening", TimeSpan.FromMinutes(4));
            return sampleProcess;
        }

        public async Task WaitForLineAsync(string text, TimeSpan? timeout = null)
        {
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
            while (!Lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                if (DateTime.UtcNow > deadline || _process.HasExited)
                {
                    throw new TimeoutException($"no line with {text}; output:\n{string.Join('\n', Lines)}");
                }

                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
