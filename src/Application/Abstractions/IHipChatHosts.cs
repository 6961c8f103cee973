namespace CleanAddon.Application.Abstractions;

/// <summary>The hosts the add-on may call or send a browser to (configuration <c>HipChat:AllowedHosts</c>).</summary>
public interface IHipChatHosts
{
    /// <summary>True for an absolute URL on an allowed host, over https (or http to a listed loopback host).</summary>
    bool IsAllowed(Uri url);
}
