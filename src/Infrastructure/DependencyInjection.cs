using CleanAddon.Application.Abstractions;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Outbox;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<AccessTokenProvider>();
        services.AddSingleton<DeliveryPolicy>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddScoped<HipChatJwtValidator>();
        return services;
    }

    /// <summary>Creates or migrates the schema and loads the data-protection key ring, before the first request.</summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the dispatcher read while a request writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // Creating the first key inside a later SaveChanges would nest a write in a write (SQLite locks).
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>().Protector;
        protector.Unprotect(protector.Protect("key ring warm-up"));
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
                    .ReplaceService<IModelCacheKeyFactory, ProtectorAwareModelCacheKeyFactory>(),
                optionsLifetime: ServiceLifetime.Singleton);
        }
        else
        {
            services.AddSingleton<SqliteWriteGate>();
            services.AddDbContext<AddonDbContext, SqliteAddonDbContext>(
                options => options
                    .UseSqlite(connectionString)
                    .ReplaceService<IModelCacheKeyFactory, ProtectorAwareModelCacheKeyFactory>(),
                optionsLifetime: ServiceLifetime.Singleton);
        }

        services.AddScoped<IAddonStore>(sp => sp.GetRequiredService<AddonDbContext>());
        services.AddDataProtection().SetApplicationName("CleanAddon").PersistKeysToDbContext<AddonDbContext>();
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
        services.AddHttpClient(HipChatGateway.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
                HipChatPrimaryHandler.Create(
                    provider.GetRequiredService<HipChatCertificateValidator>(), provider.GetRequiredService<HipChatDns>()))
            .AddHttpMessageHandler<AllowedHostsHandler>()
            .AddHttpMessageHandler<ResponseSizeLimitHandler>()
            .AddResilienceHandler("hipchat", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<HipChatOptions>>().Value.RequestTimeout));
    }
}
