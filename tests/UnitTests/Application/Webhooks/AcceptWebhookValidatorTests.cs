using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Webhooks;
using CleanAddon.Domain.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.UnitTests.Application.Webhooks;

public sealed class AcceptWebhookValidatorTests
{
    private static readonly RoomMessageEvent RoomMessage = new()
    {
        Event = "room_message",
        WebhookId = 9,
        Item = new MessageItem
        {
            Message = new HipChatMessage
            {
                Id = "5e1c0a1b-message", Message = "hello", From = new HipChatSender { Id = "1001", Name = "Ann Lee" },
            },
            Room = new HipChatRoom { Id = 42 },
        },
    };

    private static readonly WebhookDeclaration Echo = new ServiceCollection()
        .AddAddonModules(addon => addon.Webhook<RoomMessageEvent>("echo", ".*", (_, _) => { }))
        .BuildServiceProvider().GetRequiredService<AddonModules>().Webhook("echo")!;

    private static readonly AcceptWebhookCommand Valid = new(new HipChatCaller("oauth-1", "1001", 42), Echo, RoomMessage);

    private readonly AcceptWebhookValidator _validator = new();

    [Fact]
    public void A_room_message_delivered_to_a_room_message_webhook_is_valid()
    {
        var result = _validator.Validate(Valid);

        result.Errors.Should().BeEmpty();
    }

    [Fact]
    public void An_event_other_than_the_one_the_webhook_was_declared_for_is_invalid()
    {
        var result = _validator.Validate(Valid with { Webhook = RoomMessage with { Event = "room_enter" } });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.Event");
    }

    [Fact]
    public void An_empty_event_is_invalid()
    {
        var result = _validator.Validate(Valid with { Webhook = RoomMessage with { Event = "" } });

        result.Errors.Should().Contain(e => e.PropertyName == "Webhook.Event");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void A_room_id_that_is_not_positive_is_invalid(long roomId)
    {
        var webhook = RoomMessage with { Item = RoomMessage.Item with { Room = new HipChatRoom { Id = roomId } } };

        var result = _validator.Validate(Valid with { Webhook = webhook });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.RoomId");
    }

    [Fact]
    public void A_message_id_longer_than_the_column_is_invalid()
    {
        var message = RoomMessage.Item.Message with { Id = new string('m', ReceivedWebhook.MessageIdMaxLength + 1) };
        var webhook = RoomMessage with { Item = RoomMessage.Item with { Message = message } };

        var result = _validator.Validate(Valid with { Webhook = webhook });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.MessageId");
    }

    [Fact]
    public void A_room_message_that_names_no_sender_is_invalid()
    {
        var message = RoomMessage.Item.Message with { From = null };
        var webhook = RoomMessage with { Item = RoomMessage.Item with { Message = message } };

        var result = _validator.Validate(Valid with { Webhook = webhook });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.Sender");
    }
}
