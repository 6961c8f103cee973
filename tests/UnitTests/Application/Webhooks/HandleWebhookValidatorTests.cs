using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Webhooks;
using CleanAddon.Domain.Webhooks;

namespace CleanAddon.UnitTests.Application.Webhooks;

public sealed class HandleWebhookValidatorTests
{
    private static readonly WebhookEvent RoomMessage = new(
        WebhookEvents.RoomMessage,
        WebhookId: 9,
        OAuthClientId: "oauth-1",
        RoomId: 42,
        MessageId: "5e1c0a1b-message",
        MessageText: "hello",
        SenderId: "1001");

    private static readonly HandleWebhookCommand Valid = new(
        new HipChatCaller("oauth-1", "1001", 42), WebhookEvents.RoomMessage, RoomMessage);

    private readonly HandleWebhookValidator _validator = new();

    [Fact]
    public void A_room_message_delivered_to_its_own_route_is_valid()
    {
        var result = _validator.Validate(Valid);

        result.Errors.Should().BeEmpty();
    }

    [Fact]
    public void An_event_other_than_the_one_the_route_expects_is_invalid()
    {
        var result = _validator.Validate(Valid with { ExpectedEvent = "room_enter" });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.Event");
    }

    [Fact]
    public void An_empty_event_is_invalid_even_when_the_route_expects_none()
    {
        var result = _validator.Validate(Valid with { ExpectedEvent = "", Webhook = RoomMessage with { Event = "" } });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.Event");
    }

    [Fact]
    public void An_event_name_longer_than_the_column_is_invalid()
    {
        var name = new string('e', ReceivedWebhook.EventMaxLength + 1);
        var command = Valid with { ExpectedEvent = name, Webhook = RoomMessage with { Event = name } };

        var result = _validator.Validate(command);

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.Event");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void A_room_id_that_is_not_positive_is_invalid(long roomId)
    {
        var result = _validator.Validate(Valid with { Webhook = RoomMessage with { RoomId = roomId } });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.RoomId");
    }

    [Fact]
    public void A_message_id_longer_than_the_column_is_invalid()
    {
        var messageId = new string('m', ReceivedWebhook.MessageIdMaxLength + 1);

        var result = _validator.Validate(Valid with { Webhook = RoomMessage with { MessageId = messageId } });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.MessageId");
    }

    [Fact]
    public void A_room_message_without_text_is_invalid()
    {
        var result = _validator.Validate(Valid with { Webhook = RoomMessage with { MessageText = null } });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("Webhook.MessageText");
    }

    [Fact]
    public void Another_event_needs_no_text()
    {
        var roomEnter = RoomMessage with { Event = "room_enter", MessageId = null, MessageText = null };

        var result = _validator.Validate(Valid with { ExpectedEvent = "room_enter", Webhook = roomEnter });

        result.Errors.Should().BeEmpty();
    }
}
