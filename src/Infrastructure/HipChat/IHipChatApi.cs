using CleanAddon.Application.Notifications;
using Refit;

namespace CleanAddon.Infrastructure.HipChat;

/// <summary>
/// HipChat's REST API as the add-on uses it. The base address is set per call: the installation's API URL, or
/// for the document reads the document's own URL (the empty paths).
/// </summary>
internal interface IHipChatApi
{
    [Get("")]
    Task<CapabilitiesDocument> GetCapabilitiesAsync(CancellationToken cancellationToken);

    [Post("")]
    Task<TokenResponse> RequestTokenAsync(
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Header("Authorization")] string authorization,
        CancellationToken cancellationToken);

    [Get("")]
    Task<InstallableDocument> GetInstallableAsync(CancellationToken cancellationToken);

    [Post("/room/{roomId}/notification")]
    Task SendRoomNotificationAsync(
        long roomId, [Body] RoomNotification notification, [Authorize] string accessToken,
        CancellationToken cancellationToken);

    [Post("/addon/ui/room/{roomId}")]
    Task UpdateRoomGlanceAsync(
        long roomId, [Body] GlanceUpdate update, [Authorize] string accessToken, CancellationToken cancellationToken);
}
