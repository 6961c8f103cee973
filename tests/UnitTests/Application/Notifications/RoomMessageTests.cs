using System.Text.Json;
using System.Text.Json.Nodes;
using CleanAddon.Application.Notifications;
using CleanAddon.Infrastructure.HipChat;

namespace CleanAddon.UnitTests.Application.Notifications;

public sealed class RoomMessageTests
{
    [Fact]
    public void A_room_message_sends_only_its_message()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(new RoomMessage("hello"), HipChatJson.Options))!;

        json.ShouldBeJson("""{ "message": "hello" }""");
    }

    [Fact]
    public void A_message_of_hipchats_maximum_length_is_accepted_and_one_longer_or_empty_is_refused()
    {
        var longest = new string('m', RoomNotification.MessageMaxLength);

        var message = new RoomMessage(longest);
        var tooLong = () => new RoomMessage(longest + "m");
        var empty = () => new RoomMessage("");

        message.Message.Should().HaveLength(RoomNotification.MessageMaxLength);
        tooLong.Should().Throw<ArgumentException>().WithParameterName("message").WithMessage("A room message has 1 to 10000 characters.*");
        empty.Should().Throw<ArgumentException>().WithParameterName("message");
    }
}
