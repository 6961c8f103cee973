using System.Globalization;
using System.Text;
using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.Infrastructure.Queues;

/// <summary>
/// Claims work room by room: the next items of up to N rooms whose oldest waiting item is due and held by no live
/// instance, leased in one transaction. A room is worked by one instance at a time, so its items go in order; different
/// rooms go at once. One implementation per provider, for how each keeps two instances off the same room.
/// </summary>
internal abstract class RoomClaims
{
    /// <summary>The leased items, one list per room, each in the order its items were queued.</summary>
    public abstract Task<IReadOnlyList<IReadOnlyList<T>>> ClaimAsync<T>(
        AddonDbContext db, Lease lease, int rooms, int perRoom, CancellationToken cancellationToken)
        where T : QueuedItem;

    /// <summary>Gives items back unworked, due again at <paramref name="dueAt"/> (a pause), or as they were when null.</summary>
    public static Task<int> ReleaseAsync<T>(
        AddonDbContext db, string owner, IReadOnlyCollection<long> ids, DateTimeOffset? dueAt, CancellationToken cancellationToken)
        where T : QueuedItem =>
        ids.Count == 0
            ? Task.FromResult(0)
            : db.WriteLeaseAsync(
                token => dueAt is { } due
                    ? Held<T>(db, owner, ids).ExecuteUpdateAsync(
                        item => item
                            .SetProperty(i => i.LeaseOwner, (string?)null)
                            .SetProperty(i => i.LeaseExpiresAt, (DateTimeOffset?)null)
                            .SetProperty(i => i.NextAttemptAt, due),
                        token)
                    : Held<T>(db, owner, ids).ExecuteUpdateAsync(
                        item => item
                            .SetProperty(i => i.LeaseOwner, (string?)null)
                            .SetProperty(i => i.LeaseExpiresAt, (DateTimeOffset?)null),
                        token),
                cancellationToken);

    /// <summary>Deletes items that are done, as long as this instance still holds them; returns how many.</summary>
    public static Task<int> CompleteAsync<T>(
        AddonDbContext db, string owner, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
        where T : QueuedItem =>
        ids.Count == 0
            ? Task.FromResult(0)
            : db.WriteAsync(token => Held<T>(db, owner, ids).ExecuteDeleteAsync(token), cancellationToken);

    public static IQueryable<T> Held<T>(AddonDbContext db, string owner, IReadOnlyCollection<long> ids)
        where T : QueuedItem =>
        db.Set<T>().Where(i => ids.Contains(i.Id) && i.LeaseOwner == owner);

    /// <summary>
    /// Leases the first <c>perRoom</c> waiting items of each given room whose head is still due and not held, read
    /// afresh: parameters {0} now, {1} lease end, {2} owner, {3} items per room, then the rooms' pairs. Each room costs
    /// two probes of the waiting-items index, however long its queue: a room's items are the ids from its head up to,
    /// not including, its (perRoom + 1)-th. Materialized, so that PostgreSQL probes once per room instead of once per
    /// row of the rooms' queues (it inlined them: 0.3 to 0.5 s a claim with 20,000 items waiting).
    /// </summary>
    protected static string LeaseRooms(string table, int rooms, string returning)
    {
        var values = new StringBuilder();
        for (var i = 0; i < rooms; i++)
        {
            values.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}({{{4 + (2 * i)}}}, {{{5 + (2 * i)}}})");
        }

        var waiting = $"FROM {table} q WHERE q.o_auth_id = r.o_auth_id AND q.room_id = r.room_id AND q.dead_lettered_at IS NULL ORDER BY q.id";
        return $"""
            WITH rooms (o_auth_id, room_id) AS (VALUES {values}),
            heads AS MATERIALIZED (
                SELECT r.o_auth_id, r.room_id,
                       (SELECT q.id {waiting} LIMIT 1) AS first_id,
                       (SELECT q.id {waiting} LIMIT 1 OFFSET {"{3}"}) AS after_id
                FROM rooms r),
            free AS MATERIALIZED (
                SELECT h.o_auth_id, h.room_id, h.first_id, COALESCE(h.after_id, {long.MaxValue}) AS after_id
                FROM heads h JOIN {table} q ON q.id = h.first_id
                WHERE q.next_attempt_at <= {"{0}"} AND (q.lease_expires_at IS NULL OR q.lease_expires_at < {"{0}"}))
            UPDATE {table} SET lease_owner = {"{2}"}, lease_expires_at = {"{1}"}
            FROM free f
            WHERE {table}.o_auth_id = f.o_auth_id AND {table}.room_id = f.room_id AND {table}.dead_lettered_at IS NULL
              AND {table}.id >= f.first_id AND {table}.id < f.after_id
            RETURNING {returning}
            """;
    }

    /// <summary>What the provider's <c>UPDATE … FROM … RETURNING</c> names for the updated rows' columns only.</summary>
    protected abstract string Returning(string table);

    protected async Task<IReadOnlyList<IReadOnlyList<T>>> LeaseAsync<T>(
        AddonDbContext db, IReadOnlyList<RoomKey> rooms, object now, object until, string owner, int perRoom,
        CancellationToken cancellationToken)
        where T : QueuedItem
    {
        if (rooms.Count == 0)
        {
            return [];
        }

        object[] parameters = [now, until, owner, perRoom, .. rooms.SelectMany(r => new object[] { r.OAuthId, r.RoomId })];
        var table = Table<T>(db);
        var leased = await db.Set<T>().FromSqlRaw(LeaseRooms(table, rooms.Count, Returning(table)), parameters)
            .AsNoTracking().ToListAsync(cancellationToken);
        return [.. leased.GroupBy(i => (i.OAuthId, i.RoomId)).Select(room => room.OrderBy(i => i.Id).ToList())];
    }

    protected static string Table<T>(AddonDbContext db) => db.Model.FindEntityType(typeof(T))!.GetTableName()!;
}

/// <summary>Who holds what is claimed, from when and until when.</summary>
internal sealed record Lease(string Owner, DateTimeOffset Now, DateTimeOffset Until);

internal sealed record RoomKey(string OAuthId, long RoomId);

/// <summary>
/// PostgreSQL: each candidate room is taken with a transaction-scoped advisory lock, so that two instances claiming at
/// the same moment never both take it; the leases are then written from a fresh read, after the lock, in the same
/// transaction.
/// </summary>
internal sealed class PostgresRoomClaims : RoomClaims
{
    public override async Task<IReadOnlyList<IReadOnlyList<T>>> ClaimAsync<T>(
        AddonDbContext db, Lease lease, int rooms, int perRoom, CancellationToken cancellationToken)
    {
        var table = Table<T>(db);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var lockCandidates = $"""
            SELECT c."OAuthId", c."RoomId" FROM ({SkipScanCandidates(table)}) c
            WHERE pg_try_advisory_xact_lock(hashtext({"{2}"}), hashtext(c."OAuthId" || ':' || c."RoomId"))
            """;
        var locked = await db.Database.SqlQueryRaw<RoomKey>(lockCandidates, lease.Now, rooms, table)
            .ToListAsync(cancellationToken);
        var claimed = await LeaseAsync<T>(db, locked, lease.Now, lease.Until, lease.Owner, perRoom, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    protected override string Returning(string table) => $"{table}.*";

    /// <summary>
    /// The candidate rooms (whose oldest waiting item is due and not held, oldest first) without reading the whole
    /// queue: a skip scan of the waiting-items index visits each room with waiting items once and its head once, so a
    /// claim costs the rooms, not the backlog (with tens of thousands of items waiting, grouping the queue read them
    /// all on every claim and claims fell behind the intake).
    /// </summary>
    private static string SkipScanCandidates(string table) => $"""
        WITH RECURSIVE rooms AS (
            (SELECT o_auth_id, room_id FROM {table} WHERE dead_lettered_at IS NULL ORDER BY o_auth_id, room_id LIMIT 1)
            UNION ALL
            SELECT next.o_auth_id, next.room_id FROM rooms r CROSS JOIN LATERAL (
                SELECT q.o_auth_id, q.room_id FROM {table} q
                WHERE q.dead_lettered_at IS NULL AND (q.o_auth_id, q.room_id) > (r.o_auth_id, r.room_id)
                ORDER BY q.o_auth_id, q.room_id LIMIT 1) next),
        heads AS (
            SELECT head.* FROM rooms r CROSS JOIN LATERAL (
                SELECT q.id, q.o_auth_id, q.room_id, q.next_attempt_at, q.lease_expires_at FROM {table} q
                WHERE q.dead_lettered_at IS NULL AND q.o_auth_id = r.o_auth_id AND q.room_id = r.room_id
                ORDER BY q.id LIMIT 1) head)
        SELECT o_auth_id AS "OAuthId", room_id AS "RoomId" FROM heads
        WHERE next_attempt_at <= {"{0}"} AND (lease_expires_at IS NULL OR lease_expires_at < {"{0}"})
        ORDER BY id
        LIMIT {"{1}"}
        """;
}

/// <summary>
/// SQLite: one writer at a time, so reading the candidates and leasing them in one write transaction is enough
/// (<c>BEGIN IMMEDIATE</c> keeps another process out too), committed without a disk flush of its own
/// (<see cref="AddonDbContext.WriteLeaseAsync{T}"/>). Times are Unix milliseconds, as the model stores them.
/// </summary>
internal sealed class SqliteRoomClaims : RoomClaims
{
    public override Task<IReadOnlyList<IReadOnlyList<T>>> ClaimAsync<T>(
        AddonDbContext db, Lease lease, int rooms, int perRoom, CancellationToken cancellationToken) =>
        db.WriteLeaseAsync(
            async token =>
            {
                var now = lease.Now.ToUnixTimeMilliseconds();
                await using var transaction = await db.Database.BeginTransactionAsync(token);
                var candidates = await db.Database.SqlQueryRaw<RoomKey>(CandidateRooms(Table<T>(db)), now, rooms)
                    .ToListAsync(token);
                var claimed = await LeaseAsync<T>(
                    db, candidates, now, lease.Until.ToUnixTimeMilliseconds(), lease.Owner, perRoom, token);
                await transaction.CommitAsync(token);
                return claimed;
            },
            cancellationToken);

    /// <summary>SQLite's <c>RETURNING *</c> names the updated table's columns only.</summary>
    protected override string Returning(string table) => "*";

    /// <summary>
    /// Rooms whose oldest waiting item is due and not held: the candidates, oldest first. SQLite has no lateral join
    /// for PostgreSQL's skip scan, so this groups the queue: a long backlog makes a claim dearer (SQLite's delivery
    /// kept pace with its intake in every benchmark run, so its backlog stayed short).
    /// </summary>
    private static string CandidateRooms(string table) => $"""
        SELECT q.o_auth_id AS "OAuthId", q.room_id AS "RoomId" FROM {table} q
        JOIN (SELECT MIN(id) AS id FROM {table} WHERE dead_lettered_at IS NULL GROUP BY o_auth_id, room_id) head
          ON q.id = head.id
        WHERE q.next_attempt_at <= {"{0}"} AND (q.lease_expires_at IS NULL OR q.lease_expires_at < {"{0}"})
        ORDER BY q.id
        LIMIT {"{1}"}
        """;
}
