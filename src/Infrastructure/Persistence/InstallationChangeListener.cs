using CleanAddon.Infrastructure.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// On PostgreSQL, where several instances share the installations: listens on its own connection for the
/// notification a trigger sends, in the committing transaction, for every installation row inserted, updated or
/// deleted (migration <c>InstallationChangeNotifications</c>), and makes the directory forget that installation.
/// While the connection is down, changes go unheard, so the directory keeps nothing; once listening again it starts
/// empty. A connection that went silent is found out by a ping.
/// </summary>
internal sealed partial class InstallationChangeListener(
    string connectionString, InstallationDirectory installations, ILogger<InstallationChangeListener> logger)
    : BackgroundService
{
    /// <summary>The channel the trigger notifies; the migration names it too.</summary>
    public const string Channel = "installation_changed";

    /// <summary>How the listening connection shows in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "CleanAddon installation listener";

    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        ApplicationName = ApplicationName,

        // A connection of its own for the process's lifetime; LISTEN needs one that is not multiplexed.
        Pooling = false,
        Multiplexing = false,
    }.ConnectionString;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = FirstRetryDelay;
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(
                    () =>
                    {
                        retryDelay = FirstRetryDelay;
                        if (lost)
                        {
                            LogResubscribed();
                        }
                    },
                    stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                installations.Unsubscribed();
                lost = true;
                LogListenFailed(exception, retryDelay);
            }

            try
            {
                await Task.Delay(retryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task ListenAsync(Action subscribed, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        connection.Notification += (_, notification) => installations.Invalidate(notification.Payload);
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // What changed before LISTEN took effect went unheard: start from an empty directory.
        installations.Subscribed();
        subscribed();
        while (true)
        {
            if (!await connection.WaitAsync(PingInterval, stoppingToken))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteNonQueryAsync(stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Listening for installation changes failed; installations are read from the database until it listens again, in {RetryDelay}")]
    private partial void LogListenFailed(Exception exception, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for installation changes again")]
    private partial void LogResubscribed();
}
