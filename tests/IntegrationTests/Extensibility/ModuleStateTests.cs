using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.DeadLetters;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Webhooks;
using CleanAddon.HipChatEmulator;
using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Queues;
using CleanAddon.Domain.Webhooks;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;
using CleanAddon.IntegrationTests.Outbox;
using CleanAddon.IntegrationTests.TestAddon;
using Mediator;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Extensibility;

/// <summary>
/// A module's own state (docs/adr/0001-data-access.md), as the test add-on keeps it: its table comes from its own
/// migration set, its handler's changes commit with the calls the handler queued or not at all, it sees only its own
/// entities, and its rows of an installation go when the installation goes.
/// </summary>
public abstract partial class ModuleStateTests(AddonApiFactory factory)
{
    private const string Table = "test_addon_room_tally";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_modules_table_is_created_at_start_up_by_the_modules_own_migrations_recorded_in_its_own_history()
    {
        await using var module = AddonModel.Create(
            factory.Provider, TestAddonModule.ModuleName, services => services.AddAddonModule<TestAddonModule>());

        var columns = await QueryAsync(factory.Provider == DatabaseProvider.Postgres
            ? $"SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{Table}'"
            : $"SELECT '{Table}.' || name FROM pragma_table_info('{Table}')");
        var moduleHistory = await QueryAsync("""SELECT "MigrationId" FROM "__EFMigrationsHistory_test_addon" """);
        var frameworkHistory = await QueryAsync("""SELECT "MigrationId" FROM "__EFMigrationsHistory" """);

        var modelled = module.Context.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables
            .SelectMany(table => table.Columns.Select(column => $"{table.Name}.{column.Name}")).ToList();
        modelled.Should().OnlyContain(column => column.StartsWith(Table + ".", StringComparison.Ordinal));
        columns.Should().BeEquivalentTo(modelled);
        moduleHistory.Should().NotBeEmpty().And.Equal(module.Context.Database.GetMigrations());
        frameworkHistory.Should().NotIntersectWith(moduleHistory);
    }

    [Fact]
    public async Task The_frameworks_migrations_mention_only_the_frameworks_tables_and_a_modules_only_its_own()
    {
        await using var framework = AddonModel.Create(
            factory.Provider, AddonModules.FrameworkSet, services => services.AddAddonModule<TestAddonModule>());
        await using var module = AddonModel.Create(
            factory.Provider, TestAddonModule.ModuleName, services => services.AddAddonModule<TestAddonModule>());

        var frameworkTables = TablesOf(framework.Context.GetService<IDesignTimeModel>().Model);
        frameworkTables.Should().Contain(["installations", "webhook_jobs", "hipchat_calls"]).And.NotContain(Table);
        TablesMentionedBy(framework.Context).Should().NotBeEmpty().And.BeSubsetOf(frameworkTables);
        TablesMentionedBy(module.Context).Should().Equal(Table);
    }

    [Fact]
    public async Task A_handlers_state_changes_commit_together_with_the_calls_it_queued()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        await factory.SendAsync(installation, room, "counted");
        var calls = await factory.SettleRoomAsync(installation, room);

        calls.Select(Deliveries.MessageOf).Should().ContainSingle(message => message == "echo counted");
        (await TallyAsync(installation.OAuthId, room)).Should().Be(2, "the message and the marker were counted, once each");
        (await factory.HipChat.GlanceCountsUntilAsync(room, 2)).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
    }

    [Fact]
    public async Task A_handler_that_throws_commits_neither_its_state_nor_its_calls_and_its_neighbours_once_each()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var failing = $"{TestAddonModule.FailingPrefix} {Guid.NewGuid()}";

        await factory.SendAsync(installation, room, "before");
        await factory.SendAsync(installation, room, failing);
        await factory.SendAsync(installation, room, "after");
        var calls = await factory.SettleRoomAsync(installation, room);

        calls.Select(Deliveries.MessageOf).Where(message => !message.StartsWith("echo marker", StringComparison.Ordinal))
            .Should().Equal(["echo before", "echo after"], "the failing handler's notification never commits");
        (await TallyAsync(installation.OAuthId, room)).Should().Be(3, "before, after and the marker; the failing one counts nothing");
        (await factory.HipChat.GlanceCountsUntilAsync(room, 3)).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(
            "before, after and the marker; the failing one's update never commits");
        var deadLetter = (await DeadLettersAsync(installation.OAuthId)).Should().ContainSingle().Subject;
        deadLetter.Queue.Should().Be(DeadLetterKind.Webhook);
        deadLetter.What.Should().Be(TestAddonModule.EchoKey);
        deadLetter.Attempts.Should().Be(OutboxSettings.MaxAttempts);
        deadLetter.LastError.Should().Contain(nameof(InvalidOperationException));
    }

    [Fact]
    public async Task Glance_updates_that_a_later_one_of_the_same_unit_of_work_replaces_are_never_sent()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var hold = $"hold {Guid.NewGuid()}";
        var gate = factory.Services.GetRequiredService<HandlerGates>().For(hold);
        using var client = factory.CreateAddonClient();
        await SendAsync(client, installation, room, ModuleStateFactory.SlowKey(factory.Provider), hold);
        await gate.Entered.Task.WaitAsync(Deliveries.Timeout, Cancellation);

        // Queued behind the held webhook, the three are claimed together once it is done: one unit of work.
        foreach (var text in new[] { "one", "two", "three" })
        {
            await factory.SendAsync(installation, room, text);
        }

        gate.Release.TrySetResult();
        var calls = await factory.SettleRoomAsync(installation, room);

        calls.Select(Deliveries.MessageOf).Where(message => !message.StartsWith("echo marker", StringComparison.Ordinal))
            .Should().Equal(["slow", "echo one", "echo two", "echo three"], "every echo is a message, sent once and in order");
        (await factory.HipChat.GlanceCountsUntilAsync(room, 4)).Should().BeSubsetOf(
            [3, 4], "the third echo's update replaced the first two's before they were saved, and the marker's may replace it");
    }

    [Fact]
    public async Task A_batch_that_fails_counts_each_webhook_once_by_what_finally_became_of_it()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var (slow, counted) = (ModuleStateFactory.SlowKey(factory.Provider), ModuleStateFactory.CountedKey(factory.Provider));
        var hold = $"hold {Guid.NewGuid()}";
        var gate = factory.Services.GetRequiredService<HandlerGates>().For(hold);
        using var measurements = new AddonMeasurements();
        using var client = factory.CreateAddonClient();
        await SendAsync(client, installation, room, slow, hold);
        await gate.Entered.Task.WaitAsync(Deliveries.Timeout, Cancellation);

        // Queued behind the held webhook, the three are claimed together once it is done: one batch, which fails.
        foreach (var text in new[] { "one", $"{TestAddonModule.FailingPrefix} {Guid.NewGuid()}", "two" })
        {
            await SendAsync(client, installation, room, counted, text);
        }

        gate.Release.TrySetResult();
        var calls = await factory.SettleRoomAsync(installation, room);

        calls.Select(Deliveries.MessageOf).Should().Contain(["one", "two"]);
        measurements.Sum("cleanaddon.queue.attempts", $"queue=webhooks,kind={counted},outcome=Handled").Should().Be(2);
        measurements.Sum("cleanaddon.queue.attempts", $"queue=webhooks,kind={counted},outcome=Failed")
            .Should().Be(OutboxSettings.MaxAttempts, "only the failing webhook's own attempts failed");
    }

    [Fact]
    public async Task The_modules_db_context_gives_its_declared_state_and_refuses_framework_and_undeclared_types()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IAddonDbContext>();

        (await db.Set<RoomTally>().CountAsync(Cancellation)).Should().BeGreaterThanOrEqualTo(0);
        foreach (var refused in new Action[]
        {
            () => db.Set<Installation>(),
            () => db.Set<AccessToken>(),
            () => db.Set<ReceivedWebhook>(),
            () => db.Set<WebhookJob>(),
            () => db.Set<HipChatCall>(),
            () => db.Set<DataProtectionKey>(),
            () => db.Set<NobodyDeclaredThis>(),
        })
        {
            refused.Should().Throw<InvalidOperationException>().WithMessage("*is not a module's state*");
        }
    }

    [Fact]
    public async Task Uninstalling_deletes_the_installations_rows_of_every_module_and_keeps_the_others()
    {
        var (room, otherRoom) = (Deliveries.NewRoom(), Deliveries.NewRoom());
        var installation = await factory.InstallAsync(room);
        var other = await factory.InstallAsync(otherRoom);
        await factory.SendAsync(installation, room, "remembered");
        await factory.SettleRoomAsync(installation, room);
        await factory.SettleRoomAsync(other, otherRoom);
        (await TallyAsync(installation.OAuthId, room)).Should().Be(2);
        using var client = factory.CreateAddonClient();

        (await client.UninstallAsync(factory.HipChat, installation.OAuthId)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        (await TallyAsync(installation.OAuthId, room)).Should().BeNull("its rows went with the installation");
        (await TallyAsync(other.OAuthId, otherRoom)).Should().Be(1, "another installation's rows stay");
    }

    [Fact]
    public async Task An_uninstall_while_a_handler_runs_does_not_wait_for_it_and_the_handlers_work_is_dropped()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var gate = factory.Services.GetRequiredService<HandlerGates>().For("slow");
        var key = ModuleStateFactory.SlowKey(factory.Provider);
        using var measurements = new AddonMeasurements();
        using var client = factory.CreateAddonClient();
        await SendAsync(client, installation, room, key, "slow");
        await gate.Entered.Task.WaitAsync(Deliveries.Timeout, Cancellation);

        // The handler runs outside any transaction and holds no lock: the uninstall goes through while it is held.
        (await client.UninstallAsync(factory.HipChat, installation.OAuthId)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        gate.Release.TrySetResult();
        await Polling.UntilAsync(
            () => Task.FromResult(measurements.Sum("cleanaddon.queue.attempts", $"queue=webhooks,kind={key},outcome=Lost")), 1L);

        (await TallyAsync(installation.OAuthId, room)).Should().BeNull("the handler's row belongs to the uninstalled installation");
        (await factory.WithDbAsync(db => db.HipChatCalls.CountAsync(c => c.OAuthId == installation.OAuthId, Cancellation)))
            .Should().Be(0, "nor is the notification it queued kept");
        (await factory.WithDbAsync(db => db.Installations.CountAsync(i => i.OAuthId == installation.OAuthId, Cancellation)))
            .Should().Be(0);
    }

    private Task<long?> TallyAsync(string oAuthId, long room) =>
        factory.WithDbAsync(db => db.Set<RoomTally>().Where(t => t.OAuthId == oAuthId && t.RoomId == room)
            .Select(t => (long?)t.Echoes).SingleOrDefaultAsync(Cancellation));

    private static async Task SendAsync(HttpClient client, EmulatedInstallation installation, long room, string key, string text) =>
        (await client.SendWebhookAsync(
            HipChatWebhooks.RoomMessage(installation, room, text), HipChatServer.SignJwt(installation, room), $"/webhooks/{key}"))
        .StatusCode.Should().Be(HttpStatusCode.NoContent);

    private async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string oAuthId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetDeadLettersQuery(oAuthId), Cancellation);
    }

    private Task<List<string>> QueryAsync(string sql) => TestDatabase.QueryAsync(factory.Provider, factory.ConnectionString, sql);

    private static HashSet<string> TablesOf(IModel model) =>
        [.. model.GetRelationalModel().Tables.Select(table => table.Name)];

    /// <summary>
    /// Every table a set's migrations create, change or drop (hand-written SQL, such as the framework's trigger on
    /// installations, read for the tables it names), and every table of their models and snapshot.
    /// </summary>
    private static List<string> TablesMentionedBy(AddonDbContext context)
    {
        var migrations = context.GetService<IMigrationsAssembly>();
        var tables = new List<string>();
        foreach (var type in migrations.Migrations.Values)
        {
            var migration = migrations.CreateMigration(type, context.Database.ProviderName!);
            var operations = migration.UpOperations.Concat(migration.DownOperations).ToList();
            tables.AddRange(operations.OfType<ITableMigrationOperation>().Select(operation => operation.Table));
            tables.AddRange(operations.OfType<SqlOperation>()
                .SelectMany(operation => TableReference().Matches(operation.Sql).Select(match => match.Groups["table"].Value)));
            if (migration.TargetModel is { } target)
            {
                tables.AddRange(target.GetEntityTypes().Select(entity => entity.GetTableName()!));
            }
        }

        tables.AddRange(migrations.ModelSnapshot?.Model.GetEntityTypes().Select(entity => entity.GetTableName()!) ?? []);
        return [.. tables.Distinct()];
    }

    [GeneratedRegex(@"\b(?:ON|TABLE|INTO|FROM|JOIN)\s+""?(?<table>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex TableReference();

    private sealed class NobodyDeclaredThis
    {
        public int Id { get; set; }
    }
}

/// <summary>Lets a test hold a handler in its unit of work: the handler says it entered, then waits to be released.</summary>
public sealed class HandlerGate
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One <see cref="HandlerGate"/> per message text, so that each test holds its own handler.</summary>
public sealed class HandlerGates
{
    private readonly ConcurrentDictionary<string, HandlerGate> _gates = new(StringComparer.Ordinal);

    public HandlerGate For(string text) => _gates.GetOrAdd(text, _ => new HandlerGate());
}

/// <summary>
/// The test add-on giving up after four attempts, plus a webhook (<c>slow-…</c>) whose handler counts in the test add-on's
/// state and then waits at its message's <see cref="HandlerGate"/>, and one (<c>counted-…</c>) whose handler says the
/// message in the room, or throws for one starting with <see cref="TestAddonModule.FailingPrefix"/>.
/// </summary>
public sealed class ModuleStateFactory<TDatabase> : AddonApiFactory<TDatabase>
    where TDatabase : ITestDatabase
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Outbox:MaxAttempts"] = OutboxSettings.MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    protected override void AddModules(IServiceCollection services)
    {
        base.AddModules(services);
        services.AddSingleton<HandlerGates>().AddAddonModules(addon => addon
            .Webhook<RoomMessageEvent>(
                ModuleStateFactory.SlowKey(Provider),
                pattern: null,
                async (message, context, cancellationToken) =>
                {
                    context.Services.GetRequiredService<IAddonDbContext>().Set<RoomTally>()
                        .Add(RoomTally.Start(context.OAuthId, context.RoomId));
                    context.Room.Notify("slow");
                    var gate = context.Services.GetRequiredService<HandlerGates>().For(message.Text!);
                    gate.Entered.TrySetResult();
                    await gate.Release.Task.WaitAsync(cancellationToken);
                })
            .Webhook<RoomMessageEvent>(ModuleStateFactory.CountedKey(Provider), pattern: null, (message, context) =>
            {
                if (message.Text!.StartsWith(TestAddonModule.FailingPrefix, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("This handler fails on purpose.");
                }

                context.Room.Notify(message.Text);
            }));
    }
}

public static class ModuleStateFactory
{
    /// <summary>A key of each provider's own, so that its metrics are told apart from the other's running alongside.</summary>
    public static string SlowKey(DatabaseProvider provider) => $"slow-{provider.ToString().ToLowerInvariant()}";

    public static string CountedKey(DatabaseProvider provider) => $"counted-{provider.ToString().ToLowerInvariant()}";
}

public sealed class PostgresModuleStateTests(ModuleStateFactory<Postgres> factory)
    : ModuleStateTests(factory), IClassFixture<ModuleStateFactory<Postgres>>;

public sealed class SqliteModuleStateTests(ModuleStateFactory<Sqlite> factory)
    : ModuleStateTests(factory), IClassFixture<ModuleStateFactory<Sqlite>>;
