using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Webhooks;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Security;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Micro;

/// <summary>
/// One room_message webhook: its body read as the webhook endpoint reads it; and accepted as a request accepts it,
/// minus HTTP: in a fresh scope, its JWT validated, then <see cref="AcceptWebhookCommand"/> sent through the mediator
/// (validation, the installation check, the intake's group commit de-duplicating and queueing it), each with a new
/// message id so that it is never a duplicate. The database is SQLite in memory (CPU only) or in a file as the add-on
/// runs (each commit waits for the disk).
/// </summary>
[MemoryDiagnoser]
public class WebhookBenchmarks
{
    private AddonServices _addon = null!;
    private string _jwt = "";
    private byte[] _body = [];
    private RoomMessageEvent _template = null!;
    private long _next;

    [Params("memory", "file")]
    public string Database { get; set; } = "memory";

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _addon = await AddonServices.StartAsync(inMemory: Database == "memory");
        _jwt = HipChatServer.SignJwt(_addon.Installation, AddonServices.RoomId, lifetime: TimeSpan.FromHours(2));
        _body = Encoding.UTF8.GetBytes(
            HipChatWebhooks.RoomMessage(_addon.Installation, AddonServices.RoomId, "hello").ToJsonString());
        _template = ReadRoomMessage();
    }

    [GlobalCleanup]
    public ValueTask CleanUpAsync() => _addon.DisposeAsync();

    [Benchmark]
    public RoomMessageEvent ReadRoomMessage() => (RoomMessageEvent)WebhookJson.Read(_body, typeof(RoomMessageEvent));

    [Benchmark]
    public async Task<WebhookReply> AcceptWebhook()
    {
        var id = (++_next).ToString(CultureInfo.InvariantCulture);
        var webhook = _template with { Item = _template.Item with { Message = _template.Item.Message with { Id = id } } };
        await using var scope = _addon.Services.CreateAsyncScope();
        var jwt = await _addon.Services.GetRequiredService<HipChatJwtValidator>()
            .ValidateAsync(_jwt, remember: false, CancellationToken.None);
        return await scope.ServiceProvider.GetRequiredService<ISender>()
            .Send(new AcceptWebhookCommand(
                jwt.Caller!, scope.ServiceProvider.GetRequiredService<AddonModules>().Webhook("echo")!, webhook), CancellationToken.None);
    }
}
