using System.Data.Common;
using CleanAddon.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace CleanAddon.Infrastructure.Intake;

/// <summary>
/// PostgreSQL: the group is one batch of statements, one round trip, in one transaction. A webhook with a message id is
/// queued by the same statement that records its de-duplication key, and only if that insert found no conflict.
/// </summary>
internal sealed class PostgresIntakeWriter(string connectionString) : IntakeWriter(connectionString)
{
    private const string Columns =
        "o_auth_id, room_id, created_at, attempts, next_attempt_at, last_error, dead_lettered_at, trace_parent, "
        + "webhook_key, user_id, event_json";

    private const string Queue = $"INSERT INTO webhook_jobs ({Columns}) VALUES ($1, $6, $5, 0, $5, $7, $8, $9, $10, $11, $12)";

    private const string DeduplicateThenQueue = $"""
        WITH received AS (
            INSERT INTO received_webhooks (o_auth_id, webhook_id, event, message_id, received_at)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1)
        INSERT INTO webhook_jobs ({Columns})
        SELECT $1, $6, $5, 0, $5, $7, $8, $9, $10, $11, $12 WHERE EXISTS (SELECT 1 FROM received)
        """;

    protected override async Task<DbConnection> OpenAsync(string connectionString)
    {
        // The same two statements run for every webhook: prepared once on the intake's own connection, PostgreSQL
        // stops parsing and planning them per webhook.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxAutoPrepare = 2,
            AutoPrepareMinUsages = 2,
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override async Task<bool[]> InsertAsync(DbConnection connection, IReadOnlyList<PendingWebhook> batch)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using var transaction = await npgsql.BeginTransactionAsync();
        await using var statements = new NpgsqlBatch(npgsql, transaction);
        foreach (var pending in batch)
        {
            var webhook = pending.Webhook;
            var job = JobOf(pending);
            var statement = new NpgsqlBatchCommand(webhook.MessageId is null ? Queue : DeduplicateThenQueue);
            statement.Parameters.Add(new NpgsqlParameter { Value = job.OAuthId, NpgsqlDbType = NpgsqlDbType.Varchar });
            statement.Parameters.Add(new NpgsqlParameter { Value = webhook.WebhookId, NpgsqlDbType = NpgsqlDbType.Bigint });
            statement.Parameters.Add(new NpgsqlParameter { Value = webhook.Event, NpgsqlDbType = NpgsqlDbType.Varchar });
            statement.Parameters.Add(Nullable(webhook.MessageId, NpgsqlDbType.Varchar));
            statement.Parameters.Add(new NpgsqlParameter { Value = job.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            statement.Parameters.Add(new NpgsqlParameter { Value = job.RoomId, NpgsqlDbType = NpgsqlDbType.Bigint });
            statement.Parameters.Add(Nullable(job.LastError, NpgsqlDbType.Varchar));
            statement.Parameters.Add(Nullable(job.DeadLetteredAt, NpgsqlDbType.TimestampTz));
            statement.Parameters.Add(Nullable(job.TraceParent, NpgsqlDbType.Varchar));
            statement.Parameters.Add(new NpgsqlParameter { Value = job.WebhookKey, NpgsqlDbType = NpgsqlDbType.Varchar });
            statement.Parameters.Add(Nullable(job.UserId, NpgsqlDbType.Varchar));
            statement.Parameters.Add(new NpgsqlParameter { Value = job.EventJson, NpgsqlDbType = NpgsqlDbType.Text });
            statements.BatchCommands.Add(statement);
        }

        await statements.ExecuteNonQueryAsync();
        var queued = new bool[batch.Count];
        for (var i = 0; i < queued.Length; i++)
        {
            queued[i] = statements.BatchCommands[i].RecordsAffected > 0;
        }

        await transaction.CommitAsync();
        return queued;
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) =>
        new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}

/// <summary>
/// SQLite: the group is one transaction of prepared statements on the writer's own connection, taking its turn with
/// the process's other writers (<see cref="SqliteWriteGate"/>); its commit is the one disk flush. Times are Unix
/// milliseconds, as the EF model stores them.
/// </summary>
internal sealed class SqliteIntakeWriter(string connectionString, SqliteWriteGate writes) : IntakeWriter(connectionString)
{
    protected override async Task<DbConnection> OpenAsync(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override Task<bool[]> InsertAsync(DbConnection connection, IReadOnlyList<PendingWebhook> batch) =>
        writes.RunAsync(_ => Task.FromResult(Insert((SqliteConnection)connection, batch)), CancellationToken.None);

    private static bool[] Insert(SqliteConnection connection, IReadOnlyList<PendingWebhook> batch)
    {
        using var transaction = connection.BeginTransaction();
        using var deduplicate = connection.CreateCommand();
        deduplicate.Transaction = transaction;
        deduplicate.CommandText = """
            INSERT INTO received_webhooks (o_auth_id, webhook_id, event, message_id, received_at)
            VALUES ($o_auth_id, $webhook_id, $event, $message_id, $received_at) ON CONFLICT DO NOTHING
            """;
        using var queue = connection.CreateCommand();
        queue.Transaction = transaction;
        queue.CommandText = """
            INSERT INTO webhook_jobs (o_auth_id, room_id, created_at, attempts, next_attempt_at, last_error,
                dead_lettered_at, trace_parent, webhook_key, user_id, event_json)
            VALUES ($o_auth_id, $room_id, $created_at, 0, $created_at, $last_error, $dead_lettered_at, $trace_parent,
                $webhook_key, $user_id, $event_json)
            """;
        var queued = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var webhook = batch[i].Webhook;
            var job = JobOf(batch[i]);
            if (webhook.MessageId is { } messageId)
            {
                deduplicate.Parameters.Clear();
                deduplicate.Parameters.AddWithValue("$o_auth_id", job.OAuthId);
                deduplicate.Parameters.AddWithValue("$webhook_id", webhook.WebhookId);
                deduplicate.Parameters.AddWithValue("$event", webhook.Event);
                deduplicate.Parameters.AddWithValue("$message_id", messageId);
                deduplicate.Parameters.AddWithValue("$received_at", job.CreatedAt.ToUnixTimeMilliseconds());
                if (deduplicate.ExecuteNonQuery() == 0)
                {
                    continue;
                }
            }

            queue.Parameters.Clear();
            queue.Parameters.AddWithValue("$o_auth_id", job.OAuthId);
            queue.Parameters.AddWithValue("$room_id", job.RoomId);
            queue.Parameters.AddWithValue("$created_at", job.CreatedAt.ToUnixTimeMilliseconds());
            queue.Parameters.AddWithValue("$last_error", (object?)job.LastError ?? DBNull.Value);
            queue.Parameters.AddWithValue(
                "$dead_lettered_at", (object?)job.DeadLetteredAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            queue.Parameters.AddWithValue("$trace_parent", (object?)job.TraceParent ?? DBNull.Value);
            queue.Parameters.AddWithValue("$webhook_key", job.WebhookKey);
            queue.Parameters.AddWithValue("$user_id", (object?)job.UserId ?? DBNull.Value);
            queue.Parameters.AddWithValue("$event_json", job.EventJson);
            queue.ExecuteNonQuery();
            queued[i] = true;
        }

        transaction.Commit();
        return queued;
    }
}
