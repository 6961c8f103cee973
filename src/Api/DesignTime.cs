using Microsoft.EntityFrameworkCore.Design;

// The EF Core tools look for design-time services in the startup project: the migration sets' own scaffolding.
[assembly: DesignTimeServicesReference("CleanAddon.Infrastructure.Persistence.AddonDesignTimeServices, CleanAddon.Infrastructure")]
