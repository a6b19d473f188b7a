using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Features.Webhooks;

/// <summary>
/// Where deliveries may go (SSRF protection). Strict (Production unless <c>Webhooks:AllowPrivateTargets</c>):
/// <c>https://</c> only, and no host whose addresses include loopback, private, link-local (cloud
/// metadata at 169.254.169.254 among them), shared, multicast or reserved ones — checked when the
/// endpoint is saved and again on every connection, since a DNS answer can change between the two.
/// Otherwise <c>http://</c> is allowed to loopback hosts, for local development.
/// </summary>
public sealed class WebhookUrlPolicy(IOptions<WebhookOptions> options, IHostEnvironment environment)
{
    public const int MaxUrlLength = 2000;

    public bool Strict { get; } = !(options.Value.AllowPrivateTargets ?? !environment.IsProduction());

    /// <summary>Why <paramref name="text"/> cannot be an endpoint URL (a 422 reason), or null when it can.</summary>
    public async Task<string?> ProblemWithAsync(string text, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.UserInfo.Length > 0
            || url.Fragment.Length > 0 || string.IsNullOrEmpty(url.Host))
        {
            return "invalid";
        }

        if (url.Scheme == "http" && (Strict || !IsLoopbackHost(url)))
        {
            return "https_required";
        }

        if (!Strict)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            addresses = url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
                ? [IPAddress.Parse(url.IdnHost.Trim('[', ']'))]
                : await Dns.GetHostAddressesAsync(url.IdnHost, timeout.Token);
        }
        catch (Exception failure) when (failure is SocketException or OperationCanceledException or ArgumentException)
        {
            return "unresolvable";
        }

        return addresses.Length == 0 ? "unresolvable" : addresses.Any(IsForbidden) ? "forbidden_address" : null;
    }

    /// <summary>
    /// The delivery client's connect step: resolves the host itself and, when strict, refuses to
    /// connect if any address is forbidden, so a host cannot pass at creation and point inward later.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (Strict && (addresses.Length == 0 || addresses.Any(IsForbidden)))
        {
            throw new ForbiddenTargetException($"{host} resolves to an address deliveries may not reach.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsLoopbackHost(Uri url) =>
        url.IsLoopback || string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loopback, private, link-local (metadata), shared (CGNAT), unspecified, multicast, reserved, and their IPv6 kin.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and <= 127,          // 100.64.0.0/10 shared address space
                169 => b[1] == 254,                        // link-local, cloud metadata
                172 => b[1] is >= 16 and <= 31,
                192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99),
                198 => b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100),
                203 => b[1] == 0 && b[2] == 113,
                >= 224 => true,                            // multicast, reserved, broadcast
                _ => false,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc                   // fc00::/7 unique local (AWS metadata fd00:ec2::254 too)
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) // documentation
                || (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b);   // NAT64: could reach IPv4 inside
        }

        return true;
    }
}

/// <summary>A delivery's host resolved to an address deliveries may not reach.</summary>
public sealed class ForbiddenTargetException(string message) : Exception(message);
