using System.Text.Json;
using System.Text.Json.Nodes;
using CleanAddon.Application.Notifications;
using CleanAddon.Infrastructure.HipChat;

namespace CleanAddon.UnitTests.Application.Notifications;

public sealed class CardBuilderTests
{
    private static readonly Uri Url = new("https://ci.example.com/b/42");

    [Fact]
    public void The_spec_example_notification_serialises_to_exactly_hipchats_shape()
    {
        var card = new CardBuilder(CardStyle.Application, "Build 42 passed")
            .WithFormat(CardFormat.Medium)
            .WithId("build-42")
            .WithUrl(Url)
            .WithDescription("<b>main</b> in 3m 12s", MessageFormat.Html)
            .WithIcon(new Uri("https://ci.example.com/icon.png"))
            .AddAttribute("status", "passed", style: CardAttributeStyle.LozengeSuccess)
            .WithActivity("<b>Build 42</b> passed")
            .Build();
        var notification = new RoomNotification("Build 42 passed", MessageFormat.Text, NotificationColor.Green, card: card);

        var json = Serialise(notification);

        json.ShouldBeJson("""
            { "message": "Build 42 passed", "message_format": "text", "color": "green", "notify": false,
              "card": { "style": "application", "format": "medium", "id": "build-42",
                        "url": "https://ci.example.com/b/42", "title": "Build 42 passed",
                        "description": { "value": "<b>main</b> in 3m 12s", "format": "html" },
                        "icon": { "url": "https://ci.example.com/icon.png" },
                        "attributes": [ { "label": "status", "value": { "label": "passed", "style": "lozenge-success" } } ],
                        "activity": { "html": "<b>Build 42</b> passed" } } }
            """);
    }

    [Fact]
    public void Every_optional_part_serialises_under_hipchats_names()
    {
        var card = new CardBuilder(CardStyle.Link, "A link")
            .WithId("card-1")
            .WithIcon(new Uri("https://example.com/i.png"), new Uri("https://example.com/i@2x.png"))
            .WithThumbnail(new Uri("https://example.com/t.png"), new Uri("https://example.com/t@2x.png"), 200, 100)
            .WithActivity("<b>linked</b>", new Icon(new Uri("https://example.com/a.png")))
            .AddAttribute(
                "owner", "ana", new Uri("https://example.com/ana"), CardAttributeStyle.Lozenge,
                new Icon(new Uri("https://example.com/ana.png")))
            .WithMetadata("sentryId", "abc")
            .WithMetadata("count", 3)
            .WithMetadata("resolved", false)
            .Build();

        var json = Serialise(card);

        json.ShouldBeJson("""
            { "style": "link", "id": "card-1", "title": "A link",
              "icon": { "url": "https://example.com/i.png", "url@2x": "https://example.com/i@2x.png" },
              "thumbnail": { "url": "https://example.com/t.png", "url@2x": "https://example.com/t@2x.png",
                             "width": 200, "height": 100 },
              "activity": { "html": "<b>linked</b>", "icon": { "url": "https://example.com/a.png" } },
              "attributes": [ { "label": "owner", "value": { "label": "ana", "url": "https://example.com/ana",
                                "style": "lozenge", "icon": { "url": "https://example.com/ana.png" } } } ],
              "metadata": { "sentryId": "abc", "count": 3, "resolved": false } }
            """);
    }

    [Theory]
    [InlineData(CardStyle.File, "file")]
    [InlineData(CardStyle.Image, "image")]
    [InlineData(CardStyle.Application, "application")]
    [InlineData(CardStyle.Link, "link")]
    [InlineData(CardStyle.Media, "media")]
    public void Each_card_style_has_its_wire_name(CardStyle style, string wireName)
    {
        var json = Serialise(new CardBuilder(style, "t").Build());

        json["style"]!.GetValue<string>().Should().Be(wireName);
    }

    [Theory]
    [InlineData(CardAttributeStyle.Lozenge, "lozenge")]
    [InlineData(CardAttributeStyle.LozengeSuccess, "lozenge-success")]
    [InlineData(CardAttributeStyle.LozengeError, "lozenge-error")]
    [InlineData(CardAttributeStyle.LozengeCurrent, "lozenge-current")]
    [InlineData(CardAttributeStyle.LozengeComplete, "lozenge-complete")]
    [InlineData(CardAttributeStyle.LozengeMoved, "lozenge-moved")]
    public void Each_attribute_style_has_its_wire_name(CardAttributeStyle style, string wireName)
    {
        var json = Serialise(new CardBuilder(CardStyle.Application, "t").AddAttribute("a", "b", style: style).Build());

        json["attributes"]![0]!["value"]!["style"]!.GetValue<string>().Should().Be(wireName);
    }

    [Fact]
    public void A_card_without_an_id_gets_a_new_uuid()
    {
        var first = new CardBuilder(CardStyle.Application, "t").Build();
        var second = new CardBuilder(CardStyle.Application, "t").Build();

        Guid.TryParse(first.Id, out _).Should().BeTrue();
        first.Id.Should().NotBe(second.Id);
    }

    [Fact]
    public void A_bare_card_sends_only_its_style_id_and_title()
    {
        var json = Serialise(new CardBuilder(CardStyle.Image, "t").WithId("x").Build());

        json.ShouldBeJson("""{ "style": "image", "id": "x", "title": "t" }""");
    }

    [Fact]
    public void A_notification_without_a_card_sends_no_card_key()
    {
        var json = Serialise(new RoomNotification("hi"));

        json.AsObject().ContainsKey("card").Should().BeFalse();
    }

    [Fact]
    public void A_title_of_500_characters_is_accepted_and_one_longer_or_empty_is_refused()
    {
        var longest = new string('t', Card.TitleMaxLength);

        var card = new CardBuilder(CardStyle.Application, longest).Build();
        var tooLong = () => new CardBuilder(CardStyle.Application, longest + "t");
        var empty = () => new CardBuilder(CardStyle.Application, "");

        card.Title.Should().HaveLength(Card.TitleMaxLength);
        tooLong.Should().Throw<ArgumentException>().WithParameterName("title").WithMessage("A card title has 1 to 500 characters.*");
        empty.Should().Throw<ArgumentException>().WithParameterName("title");
    }

    [Fact]
    public void A_description_of_1000_characters_is_accepted_and_one_longer_or_empty_is_refused()
    {
        var builder = new CardBuilder(CardStyle.Application, "t");
        var longest = new string('d', CardDescription.ValueMaxLength);

        var accepted = () => builder.WithDescription(longest);
        var tooLong = () => builder.WithDescription(longest + "d");
        var empty = () => builder.WithDescription("");

        accepted.Should().NotThrow();
        tooLong.Should().Throw<ArgumentException>().WithParameterName("value").WithMessage("A card description has 1 to 1000 characters.*");
        empty.Should().Throw<ArgumentException>().WithParameterName("value");
    }

    [Fact]
    public void An_attribute_label_of_50_characters_is_accepted_and_one_longer_is_refused()
    {
        var builder = new CardBuilder(CardStyle.Application, "t");
        var longest = new string('l', CardAttributeItem.LabelMaxLength);

        var accepted = () => builder.AddAttribute(longest, "v");
        var tooLong = () => builder.AddAttribute(longest + "l", "v");

        accepted.Should().NotThrow();
        tooLong.Should().Throw<ArgumentException>().WithParameterName("label").WithMessage("A card attribute label has 1 to 50 characters.*");
    }

    [Fact]
    public void An_attribute_without_a_value_label_is_refused()
    {
        var add = () => new CardBuilder(CardStyle.Application, "t").AddAttribute("status", "");

        add.Should().Throw<ArgumentException>().WithParameterName("label");
    }

    [Fact]
    public void A_thumbnail_url_longer_than_250_characters_is_refused()
    {
        var longest = new Uri("https://example.com/" + new string('p', CardThumbnail.UrlMaxLength - "https://example.com/".Length));
        var builder = new CardBuilder(CardStyle.Image, "t");

        var accepted = () => builder.WithThumbnail(longest);
        var tooLong = () => builder.WithThumbnail(new Uri(longest.OriginalString + "p"));
        var tooLong2x = () => builder.WithThumbnail(longest, new Uri(longest.OriginalString + "p"));

        accepted.Should().NotThrow();
        tooLong.Should().Throw<ArgumentException>().WithParameterName("url").WithMessage("A thumbnail URL has at most 250 characters.*");
        tooLong2x.Should().Throw<ArgumentException>().WithParameterName("url2x");
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, -1)]
    public void A_thumbnail_size_must_be_positive(int width, int height)
    {
        var add = () => new CardBuilder(CardStyle.Image, "t").WithThumbnail(new Uri("https://example.com/t.png"), null, width, height);

        add.Should().Throw<ArgumentException>().WithMessage("*positive*");
    }

    [Theory]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.com/file")]
    [InlineData("javascript:alert(1)")]
    public void Only_absolute_http_urls_are_accepted(string address)
    {
        var builder = new CardBuilder(CardStyle.Link, "t");
        var target = new Uri(address, UriKind.RelativeOrAbsolute);

        builder.Invoking(b => b.WithUrl(target)).Should().Throw<ArgumentException>().WithParameterName("url");
        builder.Invoking(b => b.WithIcon(target)).Should().Throw<ArgumentException>().WithParameterName("url");
    }

    [Fact]
    public void Metadata_values_must_be_scalars()
    {
        var builder = new CardBuilder(CardStyle.Application, "t");

        builder.Invoking(b => b.WithMetadata("list", new List<int> { 1, 2 })).Should().Throw<ArgumentException>()
            .WithMessage("Metadata 'list' must be a string, a boolean or a number.*");
        builder.Invoking(b => b.WithMetadata("", "x")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void An_undefined_style_or_format_is_refused()
    {
        var style = () => new CardBuilder((CardStyle)42, "t");
        var format = () => new CardBuilder(CardStyle.Application, "t").WithFormat((CardFormat)9);

        style.Should().Throw<ArgumentException>().WithParameterName("style");
        format.Should().Throw<ArgumentException>().WithParameterName("format");
    }

    private static JsonNode Serialise<T>(T value) =>
        JsonNode.Parse(JsonSerializer.Serialize(value, HipChatJson.Options))!;
}
