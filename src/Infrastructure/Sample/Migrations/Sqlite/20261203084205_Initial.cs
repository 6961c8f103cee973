using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleanAddon.Infrastructure.Sample.Migrations.Sqlite
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
                    o_auth_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    echo_prefix = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    color = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    glance_enabled = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sample_installation_settings", x => x.o_auth_id);
                });

            migrationBuilder.CreateTable(
                name: "sample_room_activity",
                columns: table => new
                {
                    o_auth_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    room_id = table.Column<long>(type: "INTEGER", nullable: false),
                    echo_count = table.Column<long>(type: "INTEGER", nullable: false)
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
