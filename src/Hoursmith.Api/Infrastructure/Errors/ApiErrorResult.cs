using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Hoursmith.Api.Infrastructure.Errors;

/// <summary>
/// An error response in the envelope, usable as a typed minimal-API result. The request id is
/// filled in when the response is written, so handlers never have to carry it.
/// </summary>
public sealed class ApiErrorResult(int statusCode, ApiError error) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int StatusCode => statusCode;
    int? IStatusCodeHttpResult.StatusCode => statusCode;
    public ApiError Error => error;

    public Task ExecuteAsync(HttpContext httpContext) => ErrorWriter.WriteAsync(httpContext, statusCode, error);

    // The per-status error responses are described for every operation by ErrorResponsesTransformer.
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
    }
}

/// <summary>Factory methods so handlers read like the spec.</summary>
public static class ApiErrors
{
    public static ApiErrorResult NotFound(string message = "Not found.") =>
        new(StatusCodes.Status404NotFound, new ApiError(ErrorCodes.NotFound, message));

    public static ApiErrorResult BadRequest(string message) =>
        new(StatusCodes.Status400BadRequest, new ApiError(ErrorCodes.BadRequest, message));

    public static ApiErrorResult Conflict(string message) =>
        new(StatusCodes.Status409Conflict, new ApiError(ErrorCodes.Conflict, message));

    public static ApiErrorResult Validation(IReadOnlyDictionary<string, string> fields, string message = "The request has invalid fields.") =>
        new(StatusCodes.Status422UnprocessableEntity, new ApiError(ErrorCodes.ValidationError, message) { Fields = fields });

    public static ApiErrorResult ForbiddenScope(string message) =>
        new(StatusCodes.Status403Forbidden, new ApiError(ErrorCodes.ForbiddenScope, message));
}
