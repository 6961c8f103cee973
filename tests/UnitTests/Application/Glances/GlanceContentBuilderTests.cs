using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CleanAddon.Application.Glances;
using CleanAddon.Infrastructure.HipChat;

namespace CleanAddon.UnitTests.Application.Glances;

public sealed class GlanceContentBuilderTests
{
    /// <summary>What ASP.NET Core answers the glance query with (web defaults, nulls left out, as the Api configures).</summary>
    private static readonly JsonSerializerOptions QueryAnswer = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private const string SpecExample = """
        { "label":  { "type": "html", "value": "<b>4</b> echoes" },
          "status": { "type": "lozenge", "value": { "type": "success", "label": "OK" } },
          "metadata": { "isConfigured": true } }
        """;

    [Fact]
    public void The_spec_example_serialises_to_exactly_hipchats_shape_in_a_glance_update()
    {
        var content = SpecExampleContent();

        Serialise(content, HipChatJson.Options).ShouldBeJson(SpecExample);
    }

    [Fact]
    public void The_spec_example_serialises_to_the_same_shape_in_the_glance_query_answer()
    {
        var content = SpecExampleContent();

        Serialise(content, QueryAnswer).ShouldBeJson(SpecExample);
    }

    [Fact]
    public void An_icon_status_names_both_densities()
    {
        var content = new GlanceContentBuilder("<b>2</b> builds")
            .WithIcon(new Uri("https://example.com/i.png"), new Uri("https://example.com/i@2x.png"))
            .Build();

        Serialise(content, HipChatJson.Options).ShouldBeJson("""
            { "label": { "type": "html", "value": "<b>2</b> builds" },
              "status": { "type": "icon", "value": { "url": "https://example.com/i.png", "url@2x": "https://example.com/i@2x.png" } } }
            """);
    }

    [Fact]
    public void A_label_alone_sends_neither_status_nor_metadata()
    {
        var content = new GlanceContentBuilder("plain").Build();

        Serialise(content, QueryAnswer).ShouldBeJson("""{ "label": { "type": "html", "value": "plain" } }""");
    }

    [Theory]
    [InlineData(GlanceLozengeType.Default, "default")]
    [InlineData(GlanceLozengeType.Success, "success")]
    [InlineData(GlanceLozengeType.Error, "error")]
    [InlineData(GlanceLozengeType.Current, "current")]
    [InlineData(GlanceLozengeType.Complete, "complete")]
    [InlineData(GlanceLozengeType.Moved, "moved")]
    [InlineData(GlanceLozengeType.New, "new")]
    public void Each_aui_lozenge_type_has_its_wire_name_in_both_serialisers(GlanceLozengeType type, string wireName)
    {
        var content = new GlanceContentBuilder("x").WithLozenge(type, "label").Build();

        Serialise(content, HipChatJson.Options)["status"]!["value"]!["type"]!.GetValue<string>().Should().Be(wireName);
        Serialise(content, QueryAnswer)["status"]!["value"]!["type"]!.GetValue<string>().Should().Be(wireName);
    }

    [Fact]
    public void An_empty_label_is_refused()
    {
        var build = () => new GlanceContentBuilder("");

        build.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_lozenge_without_a_label_or_of_an_unknown_type_is_refused()
    {
        var builder = new GlanceContentBuilder("x");

        builder.Invoking(b => b.WithLozenge(GlanceLozengeType.Success, "")).Should().Throw<ArgumentException>();
        builder.Invoking(b => b.WithLozenge((GlanceLozengeType)99, "OK")).Should().Throw<ArgumentException>()
            .WithParameterName("type");
    }

    [Fact]
    public void An_icon_status_with_a_relative_url_is_refused()
    {
        var builder = new GlanceContentBuilder("x");

        builder.Invoking(b => b.WithIcon(new Uri("/i.png", UriKind.Relative), new Uri("https://example.com/i@2x.png")))
            .Should().Throw<ArgumentException>().WithParameterName("url");
    }

    [Fact]
    public void Metadata_values_must_be_scalars()
    {
        var builder = new GlanceContentBuilder("x");

        builder.Invoking(b => b.WithMetadata("nested", new Dictionary<string, string>())).Should().Throw<ArgumentException>();
    }

    private static GlanceContent SpecExampleContent() =>
        new GlanceContentBuilder("<b>4</b> echoes")
            .WithLozenge(GlanceLozengeType.Success, "OK")
            .WithMetadata("isConfigured", true)
            .Build();

    private static JsonNode Serialise(GlanceContent content, JsonSerializerOptions options) =>
        JsonNode.Parse(JsonSerializer.Serialize(content, options))!;
}
