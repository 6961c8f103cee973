using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleanAddon.Infrastructure.Sample.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sample_installation_settings",
                columns: table => new
                {
                    o_auth_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    echo_prefix = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    color = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    glance_enabled = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sample_installation_settings", x => x.o_auth_id);
                });

            migrationBuilder.CreateTable(
                name: "sample_room_activity",
                columns: table => new
                {
                    o_auth_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    room_id = table.Column<long>(type: "bigint", nullable: false),
                    echo_count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sample_room_activity", x => new { x.o_auth_id, x.room_id });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sample_installation_settings");

            migrationBuilder.DropTable(
                name: "sample_room_activity");
        }
    }
}
