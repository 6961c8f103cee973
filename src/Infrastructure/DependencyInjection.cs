using CleanAddon.Application.Abstractions;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Intake;
using CleanAddon.Infrastructure.Outbox;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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

        services.AddScoped<IHipChatOutbox, HipChatOutbox>();
        services.AddScoped<IWebhookInbox, WebhookInbox>();
        services.AddSingleton<QueuedWork>();
        services.AddHostedService<RetentionPurge>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<AccessTokenProvider>();
        services.AddSingleton<DeliveryPolicy>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddSingleton<HipChatJwtValidator>();
        return services;
    }

    /// <summary>Creates or migrates the schema and loads the data-protection key ring, before the first request.</summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();

        // Migrate compares the model with the last migration's snapshot every time (EF Core's guard against a
        // forgotten migration), which costs a tenth of a second of start-up; a fresh database in every integration
        // test still runs that guard.
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets the dispatcher read while a request writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // Creating the first key inside a later SaveChanges would nest a write in a write (SQLite locks).
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>().Protector;
        protector.Unprotect(protector.Protect("key ring warm-up"));

        var keyEncryption = services.GetRequiredService<KeyEncryptionCertificate>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<KeyEncryptionCertificate>();
        StartupLog.KeyEncryption(logger, keyEncryption);
    }

    private static void AddPersistence(IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.Provider
            ?? DatabaseProvider.Sqlite;
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName)
            ?? DefaultConnectionString;

        services.AddSingleton<SecretProtector>();
        if (provider == DatabaseProvider.Postgres)
        {
            services.AddDbContext<AddonDbContext, PostgresAddonDbContext>(
                options => options
                    .UseNpgsql(connectionString)
                    .ReplaceService<IModelCacheKeyFactory, ProtectorAwareModelCacheKeyFactory>()
                    .AddInterceptors(InstallationCommitInterceptor.Instance),
                optionsLifetime: ServiceLifetime.Singleton);

            // Other instances change installations too: keep them only while their changes are heard of.
            services.AddSingleton(sp => InstallationDirectory.AwaitingSubscription(
                sp.GetRequiredService<IServiceScopeFactory>()));
            services.AddHostedService(sp => new InstallationChangeListener(
                connectionString,
                sp.GetRequiredService<InstallationDirectory>(),
                sp.GetRequiredService<ILogger<InstallationChangeListener>>()));
        }
        else
        {
            services.AddSingleton<SqliteWriteGate>();
            services.AddDbContext<AddonDbContext, SqliteAddonDbContext>(
                (provider, options) => options
                    .UseSqlite(StoreLocation.ResolveSqlite(
                        connectionString, provider.GetService<IHostEnvironment>()?.ContentRootPath))
                    .ReplaceService<IModelCacheKeyFactory, ProtectorAwareModelCacheKeyFactory>()
                    .AddInterceptors(InstallationCommitInterceptor.Instance),
                ServiceLifetime.Scoped,
                ServiceLifetime.Singleton);

            // One process owns a SQLite file: every change to an installation passes through this directory.
            services.AddSingleton<InstallationDirectory>();
        }

        services.AddSingleton<IInstallationDirectory>(sp => sp.GetRequiredService<InstallationDirectory>());

        services.AddScoped<IAddonStore>(sp => sp.GetRequiredService<AddonDbContext>());

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
