using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Webhooks;

public sealed class GreetingTests(AddonApiFactory factory) : IClassFixture<AddonApiFactory>
{
    [Fact]
    public async Task Someone_entering_the_room_is_greeted_by_name()
    {
        var client = factory.CreateAddonClient();
        var installation = factory.HipChat.CreateInstallation(roomId: 100);
        await client.InstallAsync(installation);
        var enter = new JsonObject
        {
            ["event"] = "room_enter",
            ["webhook_id"] = 42,
            ["oauth_client_id"] = installation.OAuthId,
            ["item"] = new JsonObject
            {
                ["room"] = new JsonObject { ["id"] = 100, ["name"] = "Ops" },
                ["sender"] = new JsonObject { ["id"] = 7, ["name"] = "Ann Lee", ["mention_name"] = "ann" },
            },
        };

        var response = await client.SendWebhookAsync(enter, HipChatServer.SignJwt(installation, 100, userId: "7"), "/webhooks/greeting");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var calls = await factory.HipChat.WaitForAsync("/room/100/notification", c => c.Count >= 1, TimeSpan.FromSeconds(15));
        var greeting = JsonNode.Parse(calls.Should().ContainSingle().Subject.Body)!;
        greeting["message"]!.GetValue<string>().Should().Be("Welcome, Ann Lee!");
        greeting["color"]!.GetValue<string>().Should().Be("green");
    }
}
