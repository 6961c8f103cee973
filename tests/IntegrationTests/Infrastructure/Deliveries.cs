using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.Domain.Queues;
using CleanAddon.HipChatEmulator;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>Waiting on what HipChat received and on the queues, never on the clock.</summary>
internal static class Deliveries
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static int _nextRoom = 5000;

    /// <summary>A room no other test of the run uses, so faults injected per room path stay with their test.</summary>
    public static long NewRoom() => Interlocked.Increment(ref _nextRoom);

    public static string MessageOf(RecordedCall call) =>
        JsonNode.Parse(call.Body)?["message"]?.GetValue<string>() ?? "";

    public static string NotificationPath(long room) => $"/room/{room}/notification";

    /// <summary>The count an echo glance update shows (<c>&lt;b&gt;3&lt;/b&gt; echoes</c>: 3).</summary>
    public static int GlanceCountOf(RecordedCall call)
    {
        var label = JsonNode.Parse(call.Body)!["glance"]![0]!["content"]!["label"]!["value"]!.GetValue<string>();
        return int.Parse(label.AsSpan(3, label.IndexOf('<', 3) - 3), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The counts of the echo glance updates HipChat took for the room, once the last of them shows
    /// <paramref name="final"/>. An update that a later one of the same unit of work replaced is never sent, so the
    /// counts may skip one.
    /// </summary>
    public static async Task<IReadOnlyList<int>> GlanceCountsUntilAsync(this HipChatServer hipChat, long room, int final)
    {
        var calls = await hipChat.WaitForAsync(
            $"/addon/ui/room/{room}", calls => calls.LastOrDefault(c => c.Succeeded) is { } last && GlanceCountOf(last) == final,
            Timeout);
        return [.. calls.Where(c => c.Succeeded).Select(GlanceCountOf)];
    }

    /// <summary>Installs a new room installation through the install callback.</summary>
    public static async Task<EmulatedInstallation> InstallAsync(this AddonApiFactory factory, long? room)
    {
        var installation = factory.HipChat.CreateInstallation(room);
        using var client = factory.CreateAddonClient();
        var response = await client.InstallAsync(installation);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return installation;
    }

    /// <summary>Sends a room message webhook, signed now (or with <paramref name="jwt"/>), and expects it accepted.</summary>
    public static async Task SendAsync(
        this AddonApiFactory factory, EmulatedInstallation installation, long room, string text, string? jwt = null)
    {
        using var client = factory.CreateAddonClient();
        var response = await client.SendRoomMessageAsync(installation, room, text, jwt);
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    /// <summary>
    /// Every call to the room's notification path whose message is <paramref name="message"/>, once HipChat took one.
    /// Later copies may still come: to count them, pass a barrier first (<see cref="SettleRoomAsync"/>).
    /// </summary>
    public static async Task<IReadOnlyList<RecordedCall>> WaitForDeliveryAsync(
        this HipChatServer hipChat, long room, string message)
    {
        var calls = await hipChat.WaitForAsync(
            NotificationPath(room), calls => calls.Any(c => c.Succeeded && MessageOf(c) == message), Timeout);
        return [.. calls.Where(c => MessageOf(c) == message)];
    }

    /// <summary>Every call to the room's notification path whose message is <paramref name="message"/>, so far.</summary>
    public static IReadOnlyList<RecordedCall> NotificationsSaying(this HipChatServer hipChat, long room, string message) =>
        [.. hipChat.Notifications.Where(c => c.Path.EndsWith(NotificationPath(room), StringComparison.Ordinal) && MessageOf(c) == message)];

    /// <summary>
    /// The marker barrier: sends a marker message into the room and waits until HipChat took its echo. A room's
    /// calls are delivered in the order they were queued, so by then every call queued for the room before the
    /// marker has reached HipChat or been given up, and what the room received up to the marker is final; returns
    /// every notification call the room received. <paramref name="jwt"/> signs the marker when "now" is not the
    /// add-on's clock.
    /// </summary>
    public static async Task<IReadOnlyList<RecordedCall>> SettleRoomAsync(
        this AddonApiFactory factory, EmulatedInstallation installation, long room, string? jwt = null)
    {
        var marker = "marker " + Guid.NewGuid();
        await factory.SendAsync(installation, room, marker, jwt);
        try
        {
            return await factory.HipChat.WaitForAsync(
                NotificationPath(room), calls => calls.Any(c => c.Succeeded && MessageOf(c).EndsWith(marker, StringComparison.Ordinal)),
                Timeout);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}\n{await factory.DescribeRoomAsync(installation.OAuthId, room)}", timeout);
        }
    }

    /// <summary>What waits in the room's queues and what the add-on warned about: why a barrier was not passed.</summary>
    public static async Task<string> DescribeRoomAsync(this AddonApiFactory factory, string oAuthId, long room)
    {
        var items = await factory.WithDbAsync(async db =>
            (await db.WebhookJobs.AsNoTracking().Where(j => j.OAuthId == oAuthId && j.RoomId == room).ToListAsync())
            .Concat<QueuedItem>(await db.HipChatCalls.AsNoTracking().Where(c => c.OAuthId == oAuthId && c.RoomId == room).ToListAsync())
            .Select(i => $"  {i.GetType().Name} {i.Id}: attempts {i.Attempts}, due {i.NextAttemptAt:HH:mm:ss.fff}, "
                + $"leased by {i.LeaseOwner ?? "nobody"} until {i.LeaseExpiresAt:HH:mm:ss.fff}, dead {i.DeadLetteredAt:HH:mm:ss.fff}, {i.LastError}")
            .ToList());
        var warnings = factory.Logs.Entries
            .Where(e => e.StartsWith("Warning", StringComparison.Ordinal) || e.StartsWith("Error", StringComparison.Ordinal))
            .TakeLast(20);
        return $"Queued for room {room} at {DateTimeOffset.UtcNow:HH:mm:ss.fff}:\n{string.Join('\n', items)}\n"
            + $"Last warnings:\n{string.Join('\n', warnings)}";
    }

    /// <summary>
    /// Waits until the installation has nothing left to send (every message delivered or dead-lettered), so what
    /// HipChat received is final and "exactly once" can be asserted.
    /// </summary>
    public static async Task WaitUntilSettledAsync(this AddonApiFactory factory, string oAuthId)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        int pending;
        while ((pending = await factory.PendingAsync(oAuthId)) > 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        pending.Should().Be(0, "every message of the installation should be delivered or dead-lettered by now");
    }

    /// <summary>Webhooks waiting for their handler and calls waiting for HipChat, of the installation.</summary>
    public static Task<int> PendingAsync(this AddonApiFactory factory, string oAuthId) =>
        factory.WithDbAsync(async db =>
            await db.WebhookJobs.CountAsync(j => j.OAuthId == oAuthId && j.DeadLetteredAt == null)
            + await db.HipChatCalls.CountAsync(c => c.OAuthId == oAuthId && c.DeadLetteredAt == null));

    /// <summary>Dead letters of both queues, of the installation.</summary>
    public static Task<int> DeadLetteredAsync(this AddonApiFactory factory, string oAuthId) =>
        factory.WithDbAsync(async db =>
            await db.WebhookJobs.CountAsync(j => j.OAuthId == oAuthId && j.DeadLetteredAt != null)
            + await db.HipChatCalls.CountAsync(c => c.OAuthId == oAuthId && c.DeadLetteredAt != null));

    /// <summary>Calls to the token endpoint made with this installation's credentials, refused ones included.</summary>
    public static IReadOnlyList<RecordedCall> TokenCallsFor(this HipChatServer hipChat, EmulatedInstallation installation)
    {
        var basic = "Basic " + Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{installation.OAuthId}:{installation.OAuthSecret}"));
        return [.. hipChat.Calls.Where(c => c.Path.EndsWith("/oauth/token", StringComparison.Ordinal) && c.Authorization == basic)];
    }
}
