using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Notifications;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Delivery;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>Each kind of HipChat call the add-on makes, through Refit against the emulator.</summary>
public abstract class HipChatCallsTests(AddonApiFactory factory)
{
    private HipChatServer HipChat => factory.HipChat;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_room_message_recorded_in_the_outbox_is_posted_as_recorded()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        await RecordAsync(outbox => outbox.SendRoomMessage(installation.OAuthId, room, new RoomMessage("as a user")));
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        var call = HipChat.Calls.Should().ContainSingle(c => c.Path == $"/v2/room/{room}/message").Subject;
        call.Status.Should().Be((int)HttpStatusCode.Created);
        call.Authorization.Should().StartWith("Bearer ");
        JsonNode.Parse(call.Body)!.ToJsonString().Should().Be("""{"message":"as a user"}""");
    }

    [Fact]
    public async Task A_notification_with_a_card_reaches_hipchat_in_the_cards_wire_shape()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var card = new CardBuilder(CardStyle.Application, "Build 42 passed")
            .WithId("build-42")
            .WithFormat(CardFormat.Compact)
            .WithIcon(new Uri("https://ci.example.com/icon.png"), new Uri("https://ci.example.com/icon@2x.png"))
            .AddAttribute("status", "passed", style: CardAttributeStyle.LozengeSuccess)
            .Build();

        await RecordAsync(outbox => outbox.SendRoomNotification(
            installation.OAuthId, room, new RoomNotification("Build 42 passed", card: card)));
        var calls = await factory.SettleRoomAsync(installation, room);

        var delivered = calls.Should().ContainSingle(c => Deliveries.MessageOf(c) == "Build 42 passed").Subject;
        var sent = JsonNode.Parse(delivered.Body)!["card"]!;
        sent["style"]!.GetValue<string>().Should().Be("application");
        sent["format"]!.GetValue<string>().Should().Be("compact");
        sent["icon"]!["url@2x"]!.GetValue<string>().Should().Be("https://ci.example.com/icon@2x.png");
        sent["attributes"]![0]!["value"]!["style"]!.GetValue<string>().Should().Be("lozenge-success");
    }

    [Fact]
    public async Task A_room_is_read_into_its_typed_model()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var stored = await factory.WithStoreAsync(store => store.FindInstallationAsync(installation.OAuthId, Cancellation));
        var token = await factory.Services.GetRequiredService<AccessTokenProvider>()
            .GetAsync(InstallationSnapshot.Of(stored!), AccessTokenProvider.DescriptorScopes, rejected: null, Cancellation);

        var read = await factory.Services.GetRequiredService<HipChatGateway>().For(stored!.ApiBaseUrl)
            .GetRoomAsync(room, token, Cancellation);

        read.Id.Should().Be(room);
        read.Name.Should().Be($"Room {room}");
        read.Privacy.Should().Be("public");
        read.IsArchived.Should().BeFalse();
        read.XmppJid.Should().Be($"1_{room}@conf.hipchat.com");
    }

    private async Task RecordAsync(Action<IHipChatOutbox> record)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        record(scope.ServiceProvider.GetRequiredService<IHipChatOutbox>());
        await scope.ServiceProvider.GetRequiredService<IAddonStore>().SaveChangesAsync(Cancellation);
    }
}

public sealed class PostgresHipChatCallsTests(OutboxApiFactory<Postgres> factory)
    : HipChatCallsTests(factory), IClassFixture<OutboxApiFactory<Postgres>>;

public sealed class SqliteHipChatCallsTests(OutboxApiFactory<Sqlite> factory)
    : HipChatCallsTests(factory), IClassFixture<OutboxApiFactory<Sqlite>>;
