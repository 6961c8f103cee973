using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleanAddon.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Every committed change to an installation row notifies its oauthId on channel <c>installation_changed</c>
    /// (InstallationChangeListener), so that every instance sharing the database forgets its copy.
    /// </summary>
    public partial class InstallationChangeNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_installation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('installation_changed',
                        CASE TG_OP WHEN 'DELETE' THEN OLD.o_auth_id ELSE NEW.o_auth_id END);
                    RETURN NULL;
                END
                $$;

                CREATE TRIGGER installation_changed AFTER INSERT OR UPDATE OR DELETE ON installations
                    FOR EACH ROW EXECUTE FUNCTION notify_installation_changed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER installation_changed ON installations;
                DROP FUNCTION notify_installation_changed();
                """);
        }
    }
}
