using System.Text.Json.Serialization;

namespace Hoursmith.Api.Infrastructure.Errors;

/// <summary>The one error envelope of the API: <c>{"error":{"code":…,"message":…}}</c>.</summary>
public sealed record ErrorEnvelope(ApiError Error);

public sealed record ApiError(string Code, string Message)
{
    /// <summary>For <c>validation_error</c>: each bad field and a short reason (<c>required</c>, <c>too_long</c>, …).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Fields { get; init; }

    /// <summary>For <c>forbidden_plan</c>: the lowest plan that has the feature.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequiredPlan { get; init; }

    /// <summary>For <c>forbidden_plan</c>: the entitlement that is missing (e.g. <c>apiAccess</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Feature { get; init; }

    /// <summary>The request id, also sent as the <c>X-Request-Id</c> header; quote it when asking for help.</summary>
    public string? RequestId { get; init; }
}

/// <summary>Error codes of conventions.md and the status each one travels with.</summary>
public static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string Unauthenticated = "unauthenticated";
    public const string ForbiddenPlan = "forbidden_plan";
    public const string ForbiddenScope = "forbidden_scope";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Conflict = "conflict";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ValidationError = "validation_error";
    public const string RateLimited = "rate_limited";
    public const string Internal = "internal";
    public const string Unavailable = "unavailable";

    /// <summary>The code and default message for a bare status code (routing, server limits).</summary>
    public static (string Code, string Message) ForStatus(int status) => status switch
    {
        400 => (BadRequest, "The request is malformed."),
        401 => (Unauthenticated, "Authentication required: send Authorization: Bearer hsk_…"),
        402 => (ForbiddenPlan, "The workspace's plan does not include this feature."),
        403 => (ForbiddenScope, "This token's role may not perform this action."),
        404 => (NotFound, "Not found."),
        405 => (MethodNotAllowed, "This method is not allowed on this resource; see the Allow header."),
        409 => (Conflict, "The request conflicts with the resource's current state."),
        413 => (PayloadTooLarge, "The request body is too large."),
        415 => (UnsupportedMediaType, "The request body must be JSON (Content-Type: application/json)."),
        422 => (ValidationError, "The request is invalid."),
        429 => (RateLimited, "Too many requests."),
        503 => (Unavailable, "The service is temporarily unavailable."),
        >= 500 => (Internal, "Something went wrong on our side. Quote the request id if you contact support."),
        _ => (BadRequest, "The request could not be processed."),
    };
}
