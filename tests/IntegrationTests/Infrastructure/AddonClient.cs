using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.TestAddon;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>What HipChat does to the add-on, as HTTP calls through the real pipeline.</summary>
public static class AddonClient
{
    public const string Installed = "/installed";
    public const string Uninstalled = "/uninstalled";
    public const string UpdateInstallation = "/installed/update";
    public const string RoomMessageWebhook = "/webhooks/echo";
    public const string Glance = "/glances/" + TestAddonModule.GlanceKey;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> InstallAsync(this HttpClient client, EmulatedInstallation installation) =>
        client.PostAsJsonAsync(Installed, installation.ToCallbackBody(), Cancellation);

    public static Task<HttpResponseMessage> UninstallAsync(this HttpClient client, HipChatServer hipChat, string oAuthId) =>
        client.GetAsync(
            $"{Uninstalled}?redirect_url={Uri.EscapeDataString(new Uri(hipChat.BaseUrl, "admin/addons").AbsoluteUri)}"
            + $"&installable_url={Uri.EscapeDataString(hipChat.InstallableUrl(oAuthId).AbsoluteUri)}",
            Cancellation);

    public static Task<HttpResponseMessage> SendRoomMessageAsync(
        this HttpClient client, EmulatedInstallation installation, long roomId, string text, string? jwt = null) =>
        client.SendWebhookAsync(HipChatWebhooks.RoomMessage(installation, roomId, text), jwt ?? HipChatServer.SignJwt(installation, roomId));

    public static Task<HttpResponseMessage> SendWebhookAsync(
        this HttpClient client, JsonObject payload, string jwt, string path = RoomMessageWebhook)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(payload),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", jwt);
        return client.SendAsync(request, Cancellation);
    }

}
