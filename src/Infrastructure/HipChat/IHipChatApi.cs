using Refit;

namespace CleanAddon.Infrastructure.HipChat;

/// <summary>
/// HipChat's REST API as the add-on uses it. The base address is set per call: the installation's API URL, or
/// for the document reads the document's own URL (the empty paths). The sends take the JSON the outbox recorded,
/// byte for byte, and hand back the raw answer: its status and rate-limit headers decide what happens next.
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
    Task<HttpResponseMessage> SendRoomNotificationAsync(
        long roomId, [Body] HttpContent notification, [Authorize] string accessToken, CancellationToken cancellationToken);

    [Post("/room/{roomId}/message")]
    Task<HttpResponseMessage> SendRoomMessageAsync(
        long roomId, [Body] HttpContent message, [Authorize] string accessToken, CancellationToken cancellationToken);

    [Post("/addon/ui/room/{roomId}")]
    Task<HttpResponseMessage> UpdateRoomGlanceAsync(
        long roomId, [Body] HttpContent update, [Authorize] string accessToken, CancellationToken cancellationToken);

    [Get("/room/{roomId}")]
    Task<HipChatRoom> GetRoomAsync(long roomId, [Authorize] string accessToken, CancellationToken cancellationToken);
}
