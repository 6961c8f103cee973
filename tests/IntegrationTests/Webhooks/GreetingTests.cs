using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Webhooks;

public abstract class GreetingTests(AddonApiFactory factory)
{
    [Fact]
    public async Task Someone_entering_the_room_is_greeted_by_name()
    {
        using var client = factory.CreateAddonClient();
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
        var calls = await factory.SettleRoomAsync(installation, 100);
        var greeting = calls.Should().ContainSingle(c => Deliveries.MessageOf(c) == "Welcome, Ann Lee!").Subject;
        JsonNode.Parse(greeting.Body)!["color"]!.GetValue<string>().Should().Be("green");
    }
}

public sealed class PostgresGreetingTests(AddonApiFactory<Postgres> factory)
    : GreetingTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteGreetingTests(AddonApiFactory<Sqlite> factory)
    : GreetingTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
