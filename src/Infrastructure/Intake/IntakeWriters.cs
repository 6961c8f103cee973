using System.Data.Common;
using CleanAddon.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace CleanAddon.Infrastructure.Intake;

/// <summary>
/// PostgreSQL: the group is one statement, one round trip, one transaction: its webhooks travel as arrays, the
/// de-duplication keys are inserted with <c>ON CONFLICT DO NOTHING</c>, and a webhook is queued only if its key was new
/// (or it has no message id). A webhook repeated within the group is answered as a redelivery before it is sent.
/// </summary>
internal sealed class PostgresIntakeWriter(string connectionString) : IntakeWriter(connectionString)
{
    private const string Insert = """
        WITH input AS (
            SELECT * FROM unnest($1::varchar[], $2::bigint[], $3::varchar[], $4::varchar[], $5::timestamptz[],
                                 $6::bigint[], $7::varchar[], $8::timestamptz[], $9::varchar[], $10::varchar[],
                                 $11::varchar[], $12::text[])
                WITH ORDINALITY AS i (o_auth_id, webhook_id, event, message_id, created_at, room_id, last_error,
                                      dead_lettered_at, trace_parent, webhook_key, user_id, event_json, position)),
        received AS (
            INSERT INTO received_webhooks (o_auth_id, webhook_id, event, message_id, received_at)
            SELECT o_auth_id, webhook_id, event, message_id, created_at FROM input WHERE message_id IS NOT NULL
            ON CONFLICT DO NOTHING
            RETURNING o_auth_id, webhook_id, event, message_id),
        fresh AS (
            SELECT i.* FROM input i
            WHERE i.message_id IS NULL
               OR EXISTS (SELECT 1 FROM received r WHERE r.o_auth_id = i.o_auth_id AND r.webhook_id = i.webhook_id
                                                     AND r.event = i.event AND r.message_id = i.message_id)),
        queued AS (
            INSERT INTO webhook_jobs (o_auth_id, room_id, created_at, attempts, next_attempt_at, last_error,
                                      dead_lettered_at, trace_parent, webhook_key, user_id, event_json)
            SELECT o_auth_id, room_id, created_at, 0, created_at, last_error, dead_lettered_at, trace_parent,
                   webhook_key, user_id, event_json
            FROM fresh ORDER BY position)
        SELECT position FROM fresh
        """;

    protected override async Task<DbConnection> OpenAsync(string connectionString)
    {
        // The same statement runs for every group: prepared once on the intake's own connection, PostgreSQL stops
        // parsing and planning it per group.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxAutoPrepare = 1,
            AutoPrepareMinUsages = 2,
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override async Task<bool[]> InsertAsync(DbConnection connection, IReadOnlyList<PendingWebhook> batch)
    {
        var queued = new bool[batch.Count];
        var sent = new List<int>(batch.Count);
        var keys = new HashSet<(string, long, string, string)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var webhook = batch[i].Webhook;
            if (webhook.MessageId is null || keys.Add((webhook.Caller.OAuthId, webhook.WebhookId, webhook.Event, webhook.MessageId)))
            {
                sent.Add(i);
            }
        }

        var jobs = sent.Select(i => (Pending: batch[i], Job: JobOf(batch[i]))).ToList();
        var npgsql = (NpgsqlConnection)connection;
        await using var transaction = await npgsql.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(Insert, npgsql, transaction);
        Array(command, NpgsqlDbType.Varchar, jobs.Select(j => j.Job.OAuthId));
        Array(command, NpgsqlDbType.Bigint, jobs.Select(j => j.Pending.Webhook.WebhookId));
        Array(command, NpgsqlDbType.Varchar, jobs.Select(j => j.Pending.Webhook.Event));
        Array(command, NpgsqlDbType.Varchar, jobs.Select(j => j.Pending.Webhook.MessageId));
        Array(command, NpgsqlDbType.TimestampTz, jobs.Select(j => j.Job.CreatedAt));
        Array(command, NpgsqlDbType.Bigint, jobs.Select(j => j.Job.RoomId));
        Array(command, NpgsqlDbType.Varchar, jobs.Select(j => j.Job.LastError));
        Array(command, NpgsqlDbType.TimestampTz, jobs.Select(j => j.Job.DeadLetteredAt));
        Array(command, NpgsqlDbType.Varchar, jobs.Select(j => j.Job.TraceParent));
        Array(command, NpgsqlDbType.Varchar, jobs.Select(j => j.Job.WebhookKey));
        Array(command, NpgsqlDbType.Varchar, jobs.Select(j => j.Job.UserId));
        Array(command, NpgsqlDbType.Text, jobs.Select(j => j.Job.EventJson));
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                // Positions count from 1, in the order the webhooks were sent.
                queued[sent[(int)reader.GetInt64(0) - 1]] = true;
            }
        }

        await transaction.CommitAsync();
        return queued;
    }

    /// <summary>One column of the group: an array with a null element wherever a webhook has no value.</summary>
    private static void Array<T>(NpgsqlCommand command, NpgsqlDbType type, IEnumerable<T> values) =>
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.ToArray() });
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
