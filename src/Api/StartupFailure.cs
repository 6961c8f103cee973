using System.Data.Common;
using CleanAddon.Application.Extensibility;
using Microsoft.Extensions.Options;

namespace CleanAddon.Api;

/// <summary>Start-up failures an operator can fix, each told in one line; anything else keeps its stack trace.</summary>
internal static class StartupFailure
{
    public static string? Describe(Exception exception) => exception switch
    {
        AggregateException aggregate => Describe(aggregate.InnerExceptions),
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        AddonDeclarationException declaration => declaration.Message,
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
            => message,
        DbException database => $"the database cannot be used ({database.GetType().Name}): {database.Message}",
        _ => null,
    };

    /// <summary>Several settings can be wrong at once; each is told once, and only if every one is fixable.</summary>
    private static string? Describe(IEnumerable<Exception> exceptions)
    {
        var reasons = exceptions.Select(Describe).ToList();
        return reasons.Count > 0 && reasons.All(r => r is not null) ? string.Join(" ", reasons.Distinct()) : null;
    }
}
