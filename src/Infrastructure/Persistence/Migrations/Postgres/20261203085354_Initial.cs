using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CleanAddon.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "installations",
                columns: table => new
                {
                    o_auth_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    o_auth_secret = table.Column<string>(type: "text", nullable: false),
                    group_id = table.Column<long>(type: "bigint", nullable: false),
                    room_id = table.Column<long>(type: "bigint", nullable: true),
                    capabilities_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    token_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    api_base_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    installed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_installations", x => x.o_auth_id);
                });

            migrationBuilder.CreateTable(
                name: "access_tokens",
                columns: table => new
                {
                    o_auth_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    scopes = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    value = table.Column<string>(type: "text", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_access_tokens", x => new { x.o_auth_id, x.scopes });
                    table.ForeignKey(
                        name: "FK_access_tokens_installations_o_auth_id",
                        column: x => x.o_auth_id,
                        principalTable: "installations",
                        principalColumn: "o_auth_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "hipchat_calls",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    o_auth_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    room_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lease_owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    dead_lettered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    trace_parent = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hipchat_calls", x => x.id);
                    table.ForeignKey(
                        name: "FK_hipchat_calls_installations_o_auth_id",
                        column: x => x.o_auth_id,
                        principalTable: "installations",
                        principalColumn: "o_auth_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "received_webhooks",
                columns: table => new
                {
                    o_auth_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    webhook_id = table.Column<long>(type: "bigint", nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(40)", maxLength: 40, nullable: false),
                    message_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_received_webhooks", x => new { x.o_auth_id, x.webhook_id, x.@event, x.message_id });
                    table.ForeignKey(
                        name: "FK_received_webhooks_installations_o_auth_id",
                        column: x => x.o_auth_id,
                        principalTable: "installations",
                        principalColumn: "o_auth_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_jobs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    webhook_key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    event_json = table.Column<string>(type: "text", nullable: false),
                    o_auth_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    room_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lease_owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    dead_lettered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    trace_parent = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_jobs", x => x.id);
                    table.ForeignKey(
                        name: "FK_webhook_jobs_installations_o_auth_id",
                        column: x => x.o_auth_id,
                        principalTable: "installations",
                        principalColumn: "o_auth_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_hipchat_calls_dead_lettered_at",
                table: "hipchat_calls",
                column: "dead_lettered_at");

            migrationBuilder.CreateIndex(
                name: "IX_hipchat_calls_o_auth_id_room_id_id",
                table: "hipchat_calls",
                columns: new[] { "o_auth_id", "room_id", "id" },
                filter: "dead_lettered_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_installations_group_id_room_id",
                table: "installations",
                columns: new[] { "group_id", "room_id" });

            migrationBuilder.CreateIndex(
                name: "IX_received_webhooks_received_at",
                table: "received_webhooks",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_jobs_dead_lettered_at",
                table: "webhook_jobs",
                column: "dead_lettered_at");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_jobs_o_auth_id_room_id_id",
                table: "webhook_jobs",
                columns: new[] { "o_auth_id", "room_id", "id" },
                filter: "dead_lettered_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_tokens");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "hipchat_calls");

            migrationBuilder.DropTable(
                name: "received_webhooks");

            migrationBuilder.DropTable(
                name: "webhook_jobs");

            migrationBuilder.DropTable(
                name: "installations");
        }
    }
}
