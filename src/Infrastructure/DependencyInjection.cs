using CleanAddon.Application.Abstractions;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Intake;
using CleanAddon.Infrastructure.Delivery;
using CleanAddon.Infrastructure.Queues;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace CleanAddon.Infrastructure;

public static class DependencyInjection
{
    public const string ReadyTag = "ready";
    private const string DefaultConnectionString = "Data Source=addon.db";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        services.AddOptions<HipChatOptions>().Bind(configuration.GetSection(HipChatOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                hipChat => HipChatCertificateValidator.CanLoad(hipChat.TrustedCertificates),
                "HipChat:TrustedCertificates must map host names to readable PEM files of CA certificates.")
            .ValidateOnStart();
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate<IOptions<HipChatOptions>>(
                (outbox, hipChat) => outbox.LeaseDuration >= OutboxOptions.LeaseCalls * hipChat.Value.RequestTimeout,
                $"Outbox:LeaseDuration must be at least {OutboxOptions.LeaseCalls} times HipChat:RequestTimeout.")
            .ValidateOnStart();

        AddPersistence(services, configuration);
        AddHipChat(services);

        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName));
        services.AddScoped<IHipChatOutbox, HipChatOutbox>();
        services.AddSingleton<IGlanceCache, GlanceCache>();
        services.AddSingleton<QueuedWork>();
        services.AddSingleton<QueueSignals>();
        services.AddSingleton<WebhookIntake>();
        services.AddSingleton<IWebhookIntake>(sp => sp.GetRequiredService<WebhookIntake>());
        services.AddSingleton<AccessTokenProvider>();
        services.AddSingleton<DeliveryPolicy>();
        services.AddSingleton<HipChatSender>();
        services.AddHostedService<RetentionPurge>();
        services.AddHostedService<QueueObserver>();
        services.AddHostedService<WebhookJobWorker>();
        services.AddHostedService<HipChatCallWorker>();
        services.AddSingleton<HipChatJwtValidator>();
        return services;
    }

    /// <summary>
    /// Creates or migrates the schema — the framework's migrations, then each module's — and loads the data-protection
    /// key ring, before the first request.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets the dispatcher read while a request writes; it is the file's mode, so set once, before anything.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        var options = services.GetRequiredService<AddonDbOptions>();
        await using (await MigrationLock.TakeAsync(db, options, cancellationToken))
        {
            await MigrateAsync(scope.ServiceProvider, options, cancellationToken);
        }

        // Creating the first key inside a later SaveChanges would nest a write in a write (SQLite locks).
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>().Protector;
        protector.Unprotect(protector.Protect("key ring warm-up"));

        var keyEncryption = services.GetRequiredService<KeyEncryptionCertificate>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<KeyEncryptionCertificate>();
        StartupLog.KeyEncryption(logger, keyEncryption);
    }

    private static async Task MigrateAsync(IServiceProvider services, AddonDbOptions options, CancellationToken cancellationToken)
    {
        foreach (var set in options.Sets)
        {
            // Migrate compares the model with the set's last snapshot every time (EF Core's guard against a forgotten
            // migration), a tenth of a second of start-up; a fresh database in every integration test still runs it.
            await using var migrating = MigratingContext(services, options, set);
            if ((await migrating.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            {
                await migrating.Database.MigrateAsync(cancellationToken);
            }
        }
    }

    private static AddonDbContext MigratingContext(IServiceProvider services, AddonDbOptions options, string set) =>
        options.Provider == DatabaseProvider.Postgres
            ? ActivatorUtilities.CreateInstance<PostgresAddonDbContext>(services, options.For<PostgresAddonDbContext>(set))
            : ActivatorUtilities.CreateInstance<SqliteAddonDbContext>(services, options.For<SqliteAddonDbContext>(set));

    private static void AddPersistence(IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.Provider
            ?? DatabaseProvider.Sqlite;
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName)
            ?? DefaultConnectionString;

        // Set only by the EF Core tools (scripts/add-migration.sh): the set whose migration is being generated.
        var designTimeSet = configuration[MigrationSets.SetKey];

        services.AddSingleton<SecretProtector>();
        services.AddSingleton(sp => new AddonDbOptions(
            provider,
            provider == DatabaseProvider.Postgres
                ? connectionString
                : StoreLocation.ResolveSqlite(connectionString, sp.GetService<IHostEnvironment>()?.ContentRootPath),
            sp.GetRequiredService<Application.Extensibility.AddonModules>()));
        if (provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton<RoomClaims, PostgresRoomClaims>();
            services.AddSingleton<IntakeWriter>(sp => new PostgresIntakeWriter(sp.GetRequiredService<AddonDbOptions>().ConnectionString));
            services.AddDbContext<AddonDbContext, PostgresAddonDbContext>(
                (sp, options) => sp.GetRequiredService<AddonDbOptions>().Configure(options, designTimeSet),
                ServiceLifetime.Scoped,
                ServiceLifetime.Singleton);

            // Other instances change installations too: keep them only while their changes are heard of.
            services.AddSingleton(sp => InstallationDirectory.AwaitingSubscription(
                sp.GetRequiredService<IServiceScopeFactory>()));
            services.AddHostedService(sp => new InstallationChangeListener(
                sp.GetRequiredService<AddonDbOptions>().ConnectionString,
                sp.GetRequiredService<InstallationDirectory>(),
                sp.GetRequiredService<ILogger<InstallationChangeListener>>()));
        }
        else
        {
            services.AddSingleton<SqliteWriteGate>();
            services.AddSingleton<RoomClaims, SqliteRoomClaims>();
            services.AddSingleton<IntakeWriter>(sp => new SqliteIntakeWriter(
                sp.GetRequiredService<AddonDbOptions>().ConnectionString, sp.GetRequiredService<SqliteWriteGate>()));
            services.AddDbContext<AddonDbContext, SqliteAddonDbContext>(
                (sp, options) => sp.GetRequiredService<AddonDbOptions>().Configure(options, designTimeSet),
                ServiceLifetime.Scoped,
                ServiceLifetime.Singleton);

            // One process owns a SQLite file: every change to an installation passes through this directory.
            services.AddSingleton<InstallationDirectory>();
        }

        services.AddSingleton<IInstallationDirectory>(sp => sp.GetRequiredService<InstallationDirectory>());

        services.AddScoped<IAddonStore>(sp => sp.GetRequiredService<AddonDbContext>());
        services.AddScoped<IAddonDbContext>(sp => sp.GetRequiredService<AddonDbContext>());

        // The key ring sits in the database for every instance to share, encrypted with a certificate that is not.
        var keyEncryption = KeyEncryptionCertificate.LoadOrCreate(
            configuration.GetSection(KeyEncryptionOptions.SectionName).Get<KeyEncryptionOptions>() ?? new KeyEncryptionOptions());
        services.AddSingleton(keyEncryption);
        services.AddDataProtection().SetApplicationName("CleanAddon").PersistKeysToDbContext<AddonDbContext>()
            .ProtectKeysWithCertificate(keyEncryption.Certificate)
            .UnprotectKeysWithAnyCertificate([.. keyEncryption.Previous]);
        services.AddHealthChecks().AddDbContextCheck<AddonDbContext>("database", tags: [ReadyTag]);
    }

    private static void AddHipChat(IServiceCollection services)
    {
        services.AddSingleton<HipChatHosts>();
        services.AddSingleton<HipChatCertificateValidator>();
        services.AddSingleton<HipChatDns>();
        services.AddSingleton<IHipChatHosts>(sp => sp.GetRequiredService<HipChatHosts>());
        services.AddSingleton<HipChatGateway>();
        services.AddSingleton<IHipChatGateway>(sp => sp.GetRequiredService<HipChatGateway>());
        services.AddTransient<AllowedHostsHandler>();
        services.AddTransient<ResponseSizeLimitHandler>();
        var client = services.AddHttpClient(HipChatGateway.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
                HipChatPrimaryHandler.Create(
                    provider.GetRequiredService<HipChatCertificateValidator>(), provider.GetRequiredService<HipChatDns>()));

        // Outermost: one HipChat:RequestTimeout bounds the whole call, every redirect hop and the body included.
        client.AddResilienceHandler("hipchat", (pipeline, context) =>
            pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<HipChatOptions>>().Value.RequestTimeout));
        client.AddHttpMessageHandler<AllowedHostsHandler>().AddHttpMessageHandler<ResponseSizeLimitHandler>();
    }
}
