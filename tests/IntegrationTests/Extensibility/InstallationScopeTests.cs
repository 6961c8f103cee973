using System.Net;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Pages;
using CleanAddon.Application.Webhooks;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using CleanAddon.IntegrationTests.TestAddon;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Extensibility;

/// <summary>
/// "The installation exists and covers the room" is one pipeline behaviour, for webhooks, glances, pages and page
/// actions alike.
/// Over HTTP the JWT check refuses most such calls first (a room installation's JWT names its own room), so the
/// behaviour is proven here on the messages themselves, as the endpoints send them through the real pipeline.
/// </summary>
public abstract class InstallationScopeTests(AddonApiFactory factory)
{
    private const string User = "4979430";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("webhook")]
    [InlineData("glance")]
    [InlineData("page")]
    [InlineData("page action")]
    public async Task A_message_for_a_room_outside_its_room_installation_is_refused_before_its_handler(string kind)
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var inside = await SendAsync(kind, installation, room);
        var outside = () => SendAsync(kind, installation, room + 1);

        inside.Should().NotBeNull("the installation's own room is served");
        (await outside.Should().ThrowAsync<AccessDeniedException>())
            .WithMessage("The room is not covered by the JWT's installation.");
    }

    [Theory]
    [InlineData("webhook")]
    [InlineData("glance")]
    [InlineData("page")]
    [InlineData("page action")]
    public async Task A_message_of_an_installation_that_is_gone_is_refused_before_its_handler(string kind)
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        using var client = factory.CreateAddonClient();
        (await client.UninstallAsync(factory.HipChat, installation.OAuthId)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var gone = () => SendAsync(kind, installation, room);

        (await gone.Should().ThrowAsync<AccessDeniedException>()).WithMessage("The JWT's installation is gone.");
    }

    [Fact]
    public async Task Over_http_a_webhook_about_a_room_outside_its_room_installation_is_forbidden()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        using var client = factory.CreateAddonClient();

        var response = await client.SendWebhookAsync(
            HipChatWebhooks.RoomMessage(installation, room + 1, "elsewhere"), HipChatServer.SignJwt(installation, room));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    /// <summary>
    /// Sends the message the endpoint of <paramref name="kind"/> sends for a caller of the installation acting in
    /// <paramref name="room"/>; a webhook's JWT names no room, so that its body's room is the only one checked.
    /// </summary>
    private async Task<object> SendAsync(string kind, EmulatedInstallation installation, long room)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var modules = scope.ServiceProvider.GetRequiredService<AddonModules>();
        return kind switch
        {
            "webhook" => await sender.Send(
                new AcceptWebhookCommand(
                    new HipChatCaller(installation.OAuthId, UserId: null, RoomId: null),
                    modules.Webhook(TestAddonModule.EchoKey)!,
                    WebhookJson.Read(HipChatWebhooks.RoomMessage(installation, room, "scoped").ToJsonString(), typeof(RoomMessageEvent))),
                Cancellation),
            "glance" => await sender.Send(
                new GetGlanceQuery(new HipChatCaller(installation.OAuthId, User, room), modules.Glance(TestAddonModule.GlanceKey)!),
                Cancellation),
            "page" => await sender.Send(new OpenPageQuery(new HipChatCaller(installation.OAuthId, User, room)), Cancellation),
            _ => await sender.Send(
                new RunPageActionCommand(
                    new HipChatCaller(installation.OAuthId, User, room),
                    modules.PageActions.Single(a => a.Path == TestAddonModule.TallyPath),
                    new TallyForm(Add: 1, Note: "scoped", Loud: false)),
                Cancellation),
        };
    }
}

public sealed class PostgresInstallationScopeTests(AddonApiFactory<Postgres> factory)
    : InstallationScopeTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteInstallationScopeTests(AddonApiFactory<Sqlite> factory)
    : InstallationScopeTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
