
namespace CleanAddon.Api.ProblemDetails;

/// <summary>Writes RFC 9457 problem bodies with the add-on's stable types.</summary>
internal sealed class ProblemWriter(IProblemDetailsService problems)
{
    public async Task WriteAsync(HttpContext context, ProblemType type, string? detail, Exception? exception = null)
    {
        context.Response.StatusCode = type.Status;
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Create(type, detail),
            Exception = exception,
        });
        if (!written)
        {
            await TypedResults.Problem(Create(type, detail)).ExecuteAsync(context);
        }
    }

    public static Microsoft.AspNetCore.Mvc.ProblemDetails Create(ProblemType type, string? detail) => new()
    {
        Type = type.Uri,
        Title = type.Title,
        Status = type.Status,
        Detail = detail,
    };
}
