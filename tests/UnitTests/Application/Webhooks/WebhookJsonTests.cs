using System.Text.Json;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.UnitTests.Application.Webhooks;

public sealed class WebhookJsonTests
{
    private const string Message = """
        {"event": "room_message", "webhook_id": 7, "oauth_client_id": "oauth-1",
         "item": {"message": {"id": "m-1", "from": {"id": 4979430, "name": "Mark Hopkins"}, "message": "hello",
                              "mentions": [{"id": 1, "name": "Ann"}]},
                  "room": {"id": 42, "name": "Ops"}}}
        """;

    [Theory]
    [InlineData("""{"event": "room_message", "event": "room_message", "item": {"room": {"id": 42}}}""")]
    [InlineData("""{"event": "room_message", "item": {"room": {"id": 42}}, "Item": {"room": {"id": 43}}}""")]
    [InlineData("""{"event": "room_message", "item": {"room": {"id": 42, "ID": 43}}}""")]
    [InlineData("""{"event": "room_message", "item": {"message": {"from": {"id": 1, "Id": 2}}, "room": {"id": 42}}}""")]
    [InlineData("""{"event": "room_message", "item": {"room": {"id": 42}}, "unknown": 1, "UNKNOWN": 2}""")]
    public void A_key_repeated_in_one_object_in_any_case_is_refused(string json)
    {
        var read = () => WebhookJson.Read(json, typeof(RoomMessageEvent));

        read.Should().Throw<JsonException>().WithMessage("*twice*");
    }

    [Fact]
    public void The_same_key_in_different_objects_is_fine()
    {
        var webhook = (RoomMessageEvent)WebhookJson.Read(Message, typeof(RoomMessageEvent));

        webhook.RoomId.Should().Be(42);
        webhook.SenderId.Should().Be("4979430");
    }

    [Fact]
    public void Keys_are_read_in_the_case_HipChat_writes_them_only()
    {
        var webhook = (RoomMessageEvent)WebhookJson.Read("""{"event": "room_message", "ITEM": {"room": {"id": 42}}}""", typeof(RoomMessageEvent));

        webhook.RoomId.Should().Be(0);
    }

    [Fact]
    public void What_is_written_for_the_queue_reads_back_as_the_same_event()
    {
        var webhook = (RoomMessageEvent)WebhookJson.Read(Message, typeof(RoomMessageEvent));

        var again = (RoomMessageEvent)WebhookJson.Read(WebhookJson.Write(webhook), typeof(RoomMessageEvent));

        again.Should().BeEquivalentTo(webhook);
        again.RoomId.Should().Be(42);
        again.Text.Should().Be("hello");
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"event": "room_message", """)]
    public void A_body_that_is_not_an_event_object_is_refused(string json)
    {
        var read = () => WebhookJson.Read(json, typeof(RoomMessageEvent));

        read.Should().Throw<JsonException>();
    }
}
