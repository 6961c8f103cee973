using CleanAddon.Api.ProblemDetails;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanAddon.Api;

/// <summary>Healthy is a small JSON body; anything else is a 503 problem, like every other failure.</summary>
internal static class HealthResponses
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            return context.Response.WriteAsJsonAsync(new { status = report.Status.ToString() });
        }

        var problem = ProblemWriter.Create(
            new ProblemType("unhealthy", StatusCodes.Status503ServiceUnavailable, "The add-on is not ready."),
            string.Join(", ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key)));
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }
}
