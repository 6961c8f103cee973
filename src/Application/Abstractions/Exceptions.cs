namespace CleanAddon.Application.Abstractions;

/// <summary>A URL points at a host outside <c>HipChat:AllowedHosts</c>; no request was sent.</summary>
public sealed class OutboundHostRejectedException(Uri url)
    : Exception($"The host '{url.Host}' is not on the HipChat allow-list.")
{
    public string Host { get; } = url.Host;
}

/// <summary>HipChat answered, but refused the request or sent something the add-on cannot use.</summary>
public sealed class HipChatRejectedException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// HipChat's token endpoint refused the OAuth client (401, <c>invalid_client</c>): the credentials are wrong, or the
/// installation was removed without the add-on being told.
/// </summary>
public sealed class HipChatCredentialsRefusedException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>HipChat could not be reached, timed out or failed (5xx).</summary>
public sealed class HipChatUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>An authenticated caller asked for something outside its installation or room.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>A unique key was taken by a concurrent unit of work.</summary>
public sealed class DuplicateException(Exception innerException)
    : Exception("A concurrent change stored the same key.", innerException);

/// <summary>A row the unit of work changes was changed or deleted by another one meanwhile.</summary>
public sealed class ConcurrentChangeException(Exception innerException)
    : Exception("Another change got there first.", innerException);
