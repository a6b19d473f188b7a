using System.Text.Json;

namespace Hoursmith.Api.Infrastructure.Errors;

/// <summary>Writes the envelope. Every layer (routing, auth, binding, exceptions, handlers) ends here.</summary>
public static class ErrorWriter
{
    public static Task WriteAsync(HttpContext context, int statusCode, ApiError error)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        var envelope = new ErrorEnvelope(error with { RequestId = context.TraceIdentifier });
        return JsonSerializer.SerializeAsync(response.Body, envelope, ApiJsonContext.Default.ErrorEnvelope, context.RequestAborted);
    }

    public static Task WriteAsync(HttpContext context, int statusCode, string? message = null)
    {
        var (code, defaultMessage) = ErrorCodes.ForStatus(statusCode);
        return WriteAsync(context, statusCode, new ApiError(code, message ?? defaultMessage));
    }
}
