using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleanAddon.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SettingsAndRevocation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "revoked_at",
                table: "installations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "installation_settings",
                columns: table => new
                {
                    o_auth_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    echo_prefix = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    color = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    glance_enabled = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_installation_settings", x => x.o_auth_id);
                    table.ForeignKey(
                        name: "FK_installation_settings_installations_o_auth_id",
                        column: x => x.o_auth_id,
                        principalTable: "installations",
                        principalColumn: "o_auth_id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "installation_settings");

            migrationBuilder.DropColumn(
                name: "revoked_at",
                table: "installations");
        }
    }
}
