using System.Collections.Concurrent;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Extensibility;

/// <summary>A handler a team would write: reacts to topic changes; fails on demand to prove retries.</summary>
public sealed class TopicWatchHandler(IHipChatOutbox outbox, TestCapabilityLog log) : IWebhookHandler<RoomTopicChangeEvent>
{
    public ValueTask HandleAsync(RoomTopicChangeEvent webhook, WebhookContext context, CancellationToken cancellationToken)
    {
        if (webhook.Item.Topic == "fail once" && log.Attempts.AddOrUpdate(webhook.Item.Topic, 1, (_, n) => n + 1) == 1)
        {
            throw new InvalidOperationException("A transient failure of the handler.");
        }

        outbox.SendRoomNotification(
            context.Caller.OAuthId, context.RoomId, new RoomNotification($"Topic is now: {webhook.Item.Topic}"));
        return ValueTask.CompletedTask;
    }
}

/// <summary>Answers inline, as the webhook's JSON response.</summary>
public sealed class PingHandler : IImmediateWebhookHandler<RoomMessageEvent>
{
    public ValueTask<RoomNotification?> HandleAsync(
        RoomMessageEvent webhook, WebhookContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<RoomNotification?>(new RoomNotification("pong", color: NotificationColor.Purple));
}

/// <summary>
/// Records each lifecycle event with what another connection sees of the installation at that moment: only a
/// committed change is visible there.
/// </summary>
public sealed class RecordingLifecycle(TestCapabilityLog log, IServiceScopeFactory scopes) : IAddonLifecycleHandler
{
    public async ValueTask OnInstalledAsync(InstallationChanged installation, CancellationToken cancellationToken) =>
        log.Lifecycle.Enqueue($"installed {installation.OAuthId} reinstalled={installation.Reinstalled}, "
            + $"committed: {await CommittedAsync(installation.OAuthId, cancellationToken)}");

    public async ValueTask OnUninstalledAsync(InstallationChanged installation, CancellationToken cancellationToken) =>
        log.Lifecycle.Enqueue(
            $"uninstalled {installation.OAuthId}, committed: {await CommittedAsync(installation.OAuthId, cancellationToken)}");

    private async Task<string> CommittedAsync(string oAuthId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IAddonStore>().FindInstallationAsync(oAuthId, cancellationToken);
        return stored is null ? "gone" : "stored";
    }
}

/// <summary>A lifecycle handler that always throws: it must not undo or block the installation.</summary>
public sealed class FailingLifecycle : IAddonLifecycleHandler
{
    public ValueTask OnInstalledAsync(InstallationChanged installation, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A broken subscriber.");
}

public sealed class TestCapabilityLog
{
    public ConcurrentDictionary<string, int> Attempts { get; } = new();

    public ConcurrentQueue<string> Lifecycle { get; } = new();
}
