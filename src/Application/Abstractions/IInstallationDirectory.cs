using System.Text;
using CleanAddon.Domain.Installations;

namespace CleanAddon.Application.Abstractions;

/// <summary>
/// The installations as last committed, kept in memory: what the hot path (JWT checks, webhooks, glances, pages,
/// deliveries) reads on every request without a database round trip. A change to an installation reaches it as soon
/// as the change commits, on this instance at once and on the others sharing the database shortly after. To change an
/// installation, read it through <see cref="IAddonStore"/>.
/// </summary>
public interface IInstallationDirectory
{
    /// <summary>The installation as last committed, or null when there is none.</summary>
    ValueTask<InstallationSnapshot?> FindAsync(string oAuthId, CancellationToken cancellationToken);
}

/// <summary>A read-only copy of an installation (see <see cref="Installation"/>), its secret decrypted.</summary>
public sealed record InstallationSnapshot(
    string OAuthId,
    string OAuthSecret,
    long GroupId,
    long? RoomId,
    HipChatEndpoints Endpoints,
    Uri HipChatWebUrl,
    bool IsRevoked,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The HipChat it belongs to: scheme, host and port of the capabilities URL that created it.</summary>
    public Uri Origin { get; } = new(Endpoints.CapabilitiesUrl.GetLeftPart(UriPartial.Authority));

    public static InstallationSnapshot Of(Installation installation) => new(
        installation.OAuthId,
        installation.OAuthSecret,
        installation.GroupId,
        installation.RoomId,
        new HipChatEndpoints(installation.CapabilitiesUrl, installation.TokenUrl, installation.ApiBaseUrl),
        installation.HipChatWebUrl,
        installation.IsRevoked,
        installation.UpdatedAt);

    /// <summary>A room installation acts in its own room only; a global one in every room of its group.</summary>
    public bool Covers(long roomId) => RoomId is null || RoomId == roomId;

    /// <summary>Leaves the secret out, so logging a snapshot can never leak it.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"OAuthId = {OAuthId}, GroupId = {GroupId}, RoomId = {RoomId}, Origin = {Origin}, ");
        builder.Append($"IsRevoked = {IsRevoked}");
        return true;
    }
}
