namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// The same check as <see cref="ResponseContractMiddleware"/> for clients of a server running as a real process:
/// a response to a documented operation that the document does not describe fails the request.
/// </summary>
public sealed class ResponseContractHandler : DelegatingHandler
{
    public ResponseContractHandler()
        : base(new HttpClientHandler())
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
        if (!ResponseContract.InScope(path) || (await ResponseContract.ServedAsync()).Find(request.Method.Method, path) is not { } operation)
        {
            return response;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var contract = await ResponseContract.ServedAsync();
        if (contract.Check(operation, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body) is { } violation)
        {
            response.Dispose();
            throw new ResponseContractException(violation);
        }

        return response;
    }
}
