using System.Text.Json;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.UnitTests.Application.Webhooks;

/// <summary>Each event type read, as the add-on reads it, from a payload shaped like HipChat's (spec 6.3, 6.4), unknown fields included.</summary>
public sealed class WebhookEventsTests
{
    private const string Room = """
        {"id": 3856578, "name": "MarkTesting", "privacy": "private", "is_archived": false, "version": "UDY9AI3A",
         "links": {"self": "https://api.hipchat.com/v2/room/3856578", "webhooks": "https://api.hipchat.com/v2/room/3856578/webhook"}}
        """;

    private const string User = """
        {"id": 4979430, "mention_name": "MarkHopkins", "name": "Mark Hopkins", "version": "FPUR1NDI",
         "links": {"self": "https://api.hipchat.com/v2/user/4979430"}}
        """;

    [Fact]
    public void A_captured_room_message_is_read_with_its_text_sender_id_and_room()
    {
        var webhook = Read<RoomMessageEvent>($$$"""
            {"event": "room_message", "webhook_id": 17775373, "oauth_client_id": "f3a628d0-be81-461a-b025-41604d982310",
             "item": {"message": {"date": "2017-05-20T13:56:46.750428+00:00", "from": {{{User}}},
               "id": "f74a26c3-f54e-499d-b3b6-28fc28c932bb", "mentions": [{{{User}}}],
               "message": "/hey @MarkHopkins testing", "type": "message"}, "room": {{{Room}}}},
             "a_field_added_later": true}
            """);

        webhook.Event.Should().Be(RoomMessageEvent.EventName);
        webhook.WebhookId.Should().Be(17775373);
        webhook.OAuthClientId.Should().Be("f3a628d0-be81-461a-b025-41604d982310");
        webhook.RoomId.Should().Be(3856578);
        webhook.MessageId.Should().Be("f74a26c3-f54e-499d-b3b6-28fc28c932bb");
        webhook.Text.Should().Be("/hey @MarkHopkins testing");
        webhook.SenderId.Should().Be("4979430");
        webhook.Item.Message.Mentions.Should().ContainSingle().Which.MentionName.Should().Be("MarkHopkins");
        webhook.Item.Message.Date.Should().Be(new DateTimeOffset(2017, 5, 20, 13, 56, 46, 750, TimeSpan.Zero).AddTicks(4280));
    }

    [Fact]
    public void A_room_notification_from_an_integration_has_a_sender_name_but_no_user_id()
    {
        var webhook = Read<RoomNotificationEvent>($$$"""
            {"event": "room_notification", "webhook_id": 1, "item": {"message": {"date": "2017-05-20T13:56:46+00:00",
             "from": "Build bot", "id": "n-1", "mentions": [], "message": "<b>Build 42</b> passed",
             "message_format": "html", "type": "notification", "color": "green"}, "room": {{{Room}}}}}
            """);

        webhook.Item.Message.From!.Name.Should().Be("Build bot");
        webhook.SenderId.Should().BeNull();
        webhook.Item.Message.MessageFormat.Should().Be("html");
        webhook.Item.Message.Color.Should().Be("green");
        webhook.Text.Should().Be("<b>Build 42</b> passed");
    }

    [Fact]
    public void Room_enter_and_exit_name_the_user_as_sender()
    {
        var enter = Read<RoomEnterEvent>($$$"""{"event": "room_enter", "webhook_id": 42, "item": {"room": {{{Room}}}, "sender": {{{User}}}}}""");
        var exit = Read<RoomExitEvent>($$$"""{"event": "room_exit", "webhook_id": 43, "item": {"room": {{{Room}}}, "sender": {{{User}}}}}""");

        enter.SenderId.Should().Be("4979430");
        enter.Item.Sender!.Name.Should().Be("Mark Hopkins");
        exit.SenderId.Should().Be("4979430");
        exit.RoomId.Should().Be(3856578);
    }

    [Fact]
    public void A_topic_change_by_an_oauth_client_carries_the_topic_and_a_client_sender()
    {
        var webhook = Read<RoomTopicChangeEvent>($$$"""
            {"event": "room_topic_change", "webhook_id": 7, "item": {"room": {{{Room}}}, "topic": "Release on Friday",
             "sender": {"id": "5a1f-client", "name": "Deploy add-on", "links": {"self": "x"}, "allowed_scopes": ["admin_room"]} } }
            """);

        webhook.Item.Topic.Should().Be("Release on Friday");
        webhook.Text.Should().Be("Release on Friday");
        webhook.Item.Sender!.Id.Should().Be("5a1f-client");
    }

    [Fact]
    public void A_file_upload_carries_the_file()
    {
        var webhook = Read<RoomFileUploadEvent>($$$"""
            {"event": "room_file_upload", "webhook_id": 8, "item": {"room": {{{Room}}}, "sender": {{{User}}},
             "file": {"name": "plan.pdf", "size": 10240, "url": "https://files.example.com/plan.pdf", "thumb_url": null} } }
            """);

        webhook.Item.File!.Name.Should().Be("plan.pdf");
        webhook.Item.File.Size.Should().Be(10240);
        webhook.SenderId.Should().Be("4979430");
    }

    [Theory]
    [InlineData(typeof(RoomArchivedEvent), "room_archived")]
    [InlineData(typeof(RoomUnarchivedEvent), "room_unarchived")]
    [InlineData(typeof(RoomCreatedEvent), "room_created")]
    [InlineData(typeof(RoomDeletedEvent), "room_deleted")]
    public void Room_state_events_name_their_room(Type eventType, string eventName)
    {
        var json = $$$"""{"event": "{{{eventName}}}", "webhook_id": 9, "item": {"room": {{{Room}}}, "sender": {{{User}}}}}""";

        var webhook = WebhookJson.Read(json, eventType);

        webhook.Event.Should().Be(eventName);
        webhook.RoomId.Should().Be(3856578);
        eventType.GetProperty("EventName")!.GetValue(null).Should().Be(eventName);
    }

    [Fact]
    public void A_sender_that_is_neither_object_string_nor_null_is_refused()
    {
        var read = () => Read<RoomEnterEvent>($$$"""{"event": "room_enter", "item": {"room": {{{Room}}}, "sender": 12}}""");

        read.Should().Throw<JsonException>();
    }

    private static T Read<T>(string json) => (T)(object)WebhookJson.Read(json, typeof(T));
}
