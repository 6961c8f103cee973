namespace CleanAddon.Api.ProblemDetails;

/// <summary>The closed set of problems the add-on answers with; <c>type</c> URIs are stable and listed in README.</summary>
public sealed record ProblemType(string Slug, int Status, string Title)
{
    public const string BaseUri = "https://cleanaddon.dev/problems/";

    public string Uri => BaseUri + Slug;
}

public static class ProblemTypes
{
    public static readonly ProblemType Validation = new("validation", 400, "The request is not valid.");
    public static readonly ProblemType MalformedRequest = new("malformed-request", 400, "The request body cannot be read.");
    public static readonly ProblemType Unauthorized = new("unauthorized", 401, "A valid HipChat JWT is required.");
    public static readonly ProblemType Forbidden = new("forbidden", 403, "The request is outside the caller's installation.");
    public static readonly ProblemType NotFound = new("not-found", 404, "There is nothing here.");
    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", 405, "The method is not allowed here.");
    public static readonly ProblemType Conflict = new("domain-rule", 409, "The request breaks a rule of the add-on.");
    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", 413, "The request body is too large.");
    public static readonly ProblemType UnsupportedMediaType =
        new("unsupported-media-type", 415, "The request body's media type is not accepted here.");
    public static readonly ProblemType RateLimited = new("rate-limited", 429, "Too many webhooks from this installation; retry later.");
    public static readonly ProblemType HostNotAllowed = new("host-not-allowed", 422, "A URL points outside the allowed HipChat hosts.");
    public static readonly ProblemType HipChatRejected = new("hipchat-rejected", 422, "HipChat refused the request or sent something unusable.");
    public static readonly ProblemType HipChatUnavailable = new("hipchat-unavailable", 502, "HipChat could not be reached.");
    public static readonly ProblemType Internal = new("internal", 500, "An unexpected error occurred.");

    private static readonly Dictionary<int, ProblemType> ByStatus = new[]
    {
        Validation, Unauthorized, Forbidden, NotFound, MethodNotAllowed, Conflict, PayloadTooLarge,
        UnsupportedMediaType, RateLimited, HostNotAllowed, HipChatUnavailable, Internal,
    }.ToDictionary(p => p.Status);

    /// <summary>The problem for a bare status code; an unexpected code gets a generic problem of that status.</summary>
    public static ProblemType ForStatus(int status) =>
        ByStatus.GetValueOrDefault(status) ?? new ProblemType("http-" + status, status, "The request failed.");
}
