using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleanAddon.IntegrationTests.TestAddon.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "test_addon_room_tally",
                columns: table => new
                {
                    o_auth_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    room_id = table.Column<long>(type: "INTEGER", nullable: false),
                    echoes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_test_addon_room_tally", x => new { x.o_auth_id, x.room_id });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "test_addon_room_tally");
        }
    }
}
