using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.Application.Sample;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.IntegrationTests.Sample;

/// <summary>The sample add-on as Program.cs registers it: its descriptor, its echo and glance, its state.</summary>
public abstract class SampleAddonTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_descriptor_announces_the_samples_webhooks_glance_views_action_and_configure_page()
    {
        var descriptor = JsonNode.Parse(await _client.GetStringAsync("/capabilities.json", Cancellation))!;
        var expected = JsonNode.Parse("""
            {
              "webhook": [
                { "key": "echo", "name": "Echo", "event": "room_message", "pattern": ".*",
                  "url": "http://localhost:5080/webhooks/echo", "authentication": "jwt" },
                { "key": "greeting", "name": "Greeting", "event": "room_enter",
                  "url": "http://localhost:5080/webhooks/greeting", "authentication": "jwt" }
              ],
              "glance": [
                { "key": "sample-glance", "name": { "value": "Echo count" },
                  "icon": { "url": "http://localhost:5080/img/icon.png", "url@2x": "http://localhost:5080/img/icon@2x.png" },
                  "queryUrl": "http://localhost:5080/glances/sample-glance", "target": "sample-sidebar" }
              ],
              "webPanel": [
                { "key": "sample-sidebar", "name": { "value": "Echo sidebar" }, "url": "http://localhost:5080/pages/sample-sidebar",
                  "location": "hipchat.sidebar.right",
                  "icon": { "url": "http://localhost:5080/img/icon.png", "url@2x": "http://localhost:5080/img/icon@2x.png" },
                  "authentication": "jwt" }
              ],
              "dialog": [
                { "key": "sample-dialog", "title": { "value": "Echo dialog" }, "url": "http://localhost:5080/pages/sample-dialog",
                  "options": { "size": "medium", "primaryAction": { "key": "sample-dialog.send", "name": { "value": "Send" } } },
                  "authentication": "jwt" }
              ],
              "action": [
                { "key": "sample-message-action", "name": { "value": "Echo this" }, "location": "hipchat.message.action",
                  "target": "sample-sidebar" }
              ],
              "configurable": { "url": "http://localhost:5080/pages/configure", "authentication": "jwt" }
            }
            """)!.AsObject();

        var capabilities = descriptor["capabilities"]!.AsObject();
        foreach (var (kind, declared) in expected)
        {
            JsonNode.DeepEquals(capabilities[kind], declared).Should().BeTrue($"{kind}: {capabilities[kind]?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task A_room_message_is_echoed_with_the_default_settings_and_its_count_pushed_to_the_sample_glance()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        await factory.SendAsync(installation, room, "hello");
        var calls = await factory.SettleRoomAsync(installation, room);

        var echo = calls.Should().ContainSingle(c => Deliveries.MessageOf(c) == "echo hello").Subject;
        JsonNode.Parse(echo.Body)!["color"]!.GetValue<string>().Should().Be("gray");
        (await factory.HipChat.GlanceCountsUntilAsync(room, 2)).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(
            "the marker was echoed too");
        JsonNode.Parse(factory.HipChat.GlanceUpdates.First(c => c.Path.EndsWith($"/addon/ui/room/{room}", StringComparison.Ordinal)).Body)!
            ["glance"]![0]!["key"]!.GetValue<string>().Should().Be(EchoCountGlance.Key);
        var count = await GetGlanceAsync(installation, room);
        count.Should().Be("<b>2</b> echoes", "the marker was echoed too");
    }

    [Fact]
    public async Task Uninstalling_deletes_the_samples_rows_of_the_installation_and_keeps_the_others()
    {
        var (room, otherRoom) = (Deliveries.NewRoom(), Deliveries.NewRoom());
        var installation = await factory.InstallAsync(room);
        var other = await factory.InstallAsync(otherRoom);
        await factory.SettleRoomAsync(installation, room);
        await factory.SettleRoomAsync(other, otherRoom);
        await factory.WithDbAsync(async db =>
        {
            db.Set<InstallationSettings>().Add(InstallationSettings.Defaults(installation.OAuthId));
            db.Set<InstallationSettings>().Add(InstallationSettings.Defaults(other.OAuthId));
            return await db.SaveChangesAsync(Cancellation);
        });

        (await _client.UninstallAsync(factory.HipChat, installation.OAuthId)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        (await factory.WithDbAsync(db => db.Set<RoomActivity>().Select(r => r.OAuthId).ToListAsync(Cancellation)))
            .Should().Contain(other.OAuthId).And.NotContain(installation.OAuthId);
        (await factory.WithDbAsync(db => db.Set<InstallationSettings>().Select(s => s.OAuthId).ToListAsync(Cancellation)))
            .Should().Contain(other.OAuthId).And.NotContain(installation.OAuthId);
    }

    private async Task<string> GetGlanceAsync(EmulatedInstallation installation, long room)
    {
        var response = await _client.GetAsync(
            $"/glances/{EchoCountGlance.Key}?signed_request={HipChatServer.SignJwt(installation, room)}", Cancellation);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.ReadJsonAsync())!["label"]!["value"]!.GetValue<string>();
    }
}

public sealed class PostgresSampleAddonTests(SampleAddonFactory<Postgres> factory)
    : SampleAddonTests(factory), IClassFixture<SampleAddonFactory<Postgres>>;

public sealed class SqliteSampleAddonTests(SampleAddonFactory<Sqlite> factory)
    : SampleAddonTests(factory), IClassFixture<SampleAddonFactory<Sqlite>>;
