using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Descriptor;

public abstract class DescriptorTests(AddonApiFactory factory)
{
    private const string BaseUrl = "https://addon.example.com/hipchat";
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_whole_descriptor_is_generated_from_configuration_and_the_declared_capabilities()
    {
        var expected = JsonNode.Parse($$"""
            {
              "key": "acme-echo",
              "name": "Clean Add-on",
              "description": "Echoes room messages and counts them in a glance.",
              "apiVersion": "1:1",
              "links": { "self": "{{BaseUrl}}/capabilities.json", "homepage": "{{BaseUrl}}/" },
              "vendor": { "name": "CleanAddon", "url": "https://github.com/cleanaddon" },
              "capabilities": {
                "hipchatApiConsumer": { "fromName": "Clean Add-on", "scopes": ["send_notification", "view_room"] },
                "installable": {
                  "allowGlobal": true,
                  "allowRoom": true,
                  "callbackUrl": "{{BaseUrl}}/installed",
                  "updateCallbackUrl": "{{BaseUrl}}/installed/update",
                  "uninstalledUrl": "{{BaseUrl}}/uninstalled"
                },
                "webhook": [
                  { "key": "echo", "name": "Echo", "event": "room_message", "pattern": ".*",
                    "url": "{{BaseUrl}}/webhooks/echo", "authentication": "jwt" },
                  { "key": "greeting", "name": "Greeting", "event": "room_enter",
                    "url": "{{BaseUrl}}/webhooks/greeting", "authentication": "jwt" }
                ],
                "glance": [
                  { "key": "sample-glance", "name": { "value": "Echo count" },
                    "icon": { "url": "{{BaseUrl}}/img/icon.png", "url@2x": "{{BaseUrl}}/img/icon@2x.png" },
                    "queryUrl": "{{BaseUrl}}/glances/sample-glance", "target": "sample-sidebar" }
                ],
                "webPanel": [
                  { "key": "sample-sidebar", "name": { "value": "Echo sidebar" }, "url": "{{BaseUrl}}/pages/sample-sidebar",
                    "location": "hipchat.sidebar.right",
                    "icon": { "url": "{{BaseUrl}}/img/icon.png", "url@2x": "{{BaseUrl}}/img/icon@2x.png" },
                    "authentication": "jwt" }
                ],
                "dialog": [
                  { "key": "sample-dialog", "title": { "value": "Echo dialog" }, "url": "{{BaseUrl}}/pages/sample-dialog",
                    "options": { "size": "medium", "primaryAction": { "key": "sample-dialog.send", "name": { "value": "Send" } } },
                    "authentication": "jwt" }
                ],
                "action": [
                  { "key": "sample-message-action", "name": { "value": "Echo this" }, "location": "hipchat.message.action",
                    "target": "sample-sidebar" }
                ],
                "configurable": { "url": "{{BaseUrl}}/pages/configure", "authentication": "jwt" }
              }
            }
            """);

        var actual = JsonNode.Parse(await _client.GetStringAsync("/capabilities.json", Cancellation));

        JsonNode.DeepEquals(actual, expected).Should().BeTrue(actual!.ToJsonString());
    }

    [Fact]
    public async Task Every_url_the_descriptor_announces_is_under_the_base_url()
    {
        var descriptor = await _client.GetStringAsync("/capabilities.json", Cancellation);

        var urls = Strings(JsonNode.Parse(descriptor)!).Where(s => s.Contains("://", StringComparison.Ordinal)).ToList();

        urls.Should().NotBeEmpty();
        urls.Where(u => !u.StartsWith("https://github.com", StringComparison.Ordinal))
            .Should().OnlyContain(u => u.StartsWith(BaseUrl + "/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_atlassian_connect_alias_serves_the_same_descriptor()
    {
        var descriptor = await _client.GetStringAsync("/capabilities.json", Cancellation);

        var alias = await _client.GetStringAsync("/atlassian-connect.json", Cancellation);

        alias.Should().Be(descriptor);
    }

    [Fact]
    public async Task The_glance_icons_it_announces_are_served()
    {
        var response = await _client.GetAsync("/img/icon.png", Cancellation);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        (await _client.GetAsync("/img/icon@2x.png", Cancellation)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_healthy_with_the_database_up()
    {
        (await _client.GetAsync("/health/live", Cancellation)).StatusCode.Should().Be(HttpStatusCode.OK);

        var ready = await _client.GetAsync("/health/ready", Cancellation);

        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ready.ReadJsonAsync())!["status"]!.GetValue<string>().Should().Be("Healthy");
    }

    [Fact]
    public async Task An_unknown_path_is_a_not_found_problem()
    {
        var response = await _client.GetAsync("/no/such/thing", Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    private static IEnumerable<string> Strings(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Strings(p.Value)),
        JsonArray a => a.SelectMany(n => n is null ? [] : Strings(n)),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    public sealed class PublicAddonFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Addon:BaseUrl"] = BaseUrl,
            ["Addon:Key"] = "acme-echo",
        };
    }
}

public sealed class PostgresDescriptorTests(DescriptorTests.PublicAddonFactory<Postgres> factory)
    : DescriptorTests(factory), IClassFixture<DescriptorTests.PublicAddonFactory<Postgres>>;

public sealed class SqliteDescriptorTests(DescriptorTests.PublicAddonFactory<Sqlite> factory)
    : DescriptorTests(factory), IClassFixture<DescriptorTests.PublicAddonFactory<Sqlite>>;
