using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleanAddon.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InstallationRevocation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "revoked_at",
                table: "installations",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "revoked_at",
                table: "installations");
        }
    }
}
