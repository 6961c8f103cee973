using CleanAddon.Application.Abstractions;
using CleanAddon.Domain;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CleanAddon.Api.ProblemDetails;

/// <summary>
/// The one place exceptions become responses. Only messages the add-on wrote itself reach the client; anything
/// unexpected is a bare 500 and a log entry.
/// </summary>
internal sealed partial class ExceptionProblemMapper(
    ProblemWriter problems, IProblemDetailsService problemDetails, ILogger<ExceptionProblemMapper> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ValidationException validation:
                await WriteValidationAsync(httpContext, validation);
                return true;
            case DomainRuleException:
                await problems.WriteAsync(httpContext, ProblemTypes.Conflict, exception.Message, exception);
                return true;
            case AccessDeniedException:
                await problems.WriteAsync(httpContext, ProblemTypes.Forbidden, exception.Message, exception);
                return true;
            case OutboundHostRejectedException rejected:
                LogHostRejected(rejected.Host);
                await problems.WriteAsync(httpContext, ProblemTypes.HostNotAllowed, exception.Message, exception);
                return true;
            case HipChatRejectedException or HipChatCredentialsRefusedException:
                LogHipChatRejected(exception.Message);
                await problems.WriteAsync(httpContext, ProblemTypes.HipChatRejected, exception.Message, exception);
                return true;
            case HipChatUnavailableException:
                LogHipChatUnavailable(exception.Message);
                await problems.WriteAsync(httpContext, ProblemTypes.HipChatUnavailable, exception.Message, exception);
                return true;
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                await problems.WriteAsync(httpContext, ProblemTypes.PayloadTooLarge, null, exception);
                return true;
            case BadHttpRequestException:
                await problems.WriteAsync(httpContext, ProblemTypes.MalformedRequest, null, exception);
                return true;
            default:
                LogUnexpected(exception);
                await problems.WriteAsync(httpContext, ProblemTypes.Internal, null);
                return true;
        }
    }

    private async Task WriteValidationAsync(HttpContext httpContext, ValidationException validation)
    {
        var errors = validation.Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        httpContext.Response.StatusCode = ProblemTypes.Validation.Status;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ValidationProblemDetails(errors)
            {
                Type = ProblemTypes.Validation.Uri,
                Title = ProblemTypes.Validation.Title,
                Status = ProblemTypes.Validation.Status,
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a URL on host {Host}: not on the HipChat allow-list")]
    private partial void LogHostRejected(string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HipChat refused a request: {Reason}")]
    private partial void LogHipChatRejected(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HipChat was unavailable: {Reason}")]
    private partial void LogHipChatUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error")]
    private partial void LogUnexpected(Exception exception);
}
