using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application.Extensibility;

/// <summary>Checks a page action's form before the action runs.</summary>
internal static class PageForms
{
    /// <summary>
    /// Runs every validator registered for <typeparamref name="TForm"/>; their failures are keyed by the field the view
    /// sent (the property's JSON name), so that a page can show each one next to its field.
    /// </summary>
    public static async ValueTask ValidateAsync<TForm>(
        TForm form, IServiceProvider services, CancellationToken cancellationToken)
        where TForm : class
    {
        List<ValidationFailure> failures = [];
        foreach (var validator in services.GetServices<IValidator<TForm>>())
        {
            failures.AddRange((await validator.ValidateAsync(form, cancellationToken)).Errors);
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures.Select(failure => new ValidationFailure(
                FieldName(typeof(TForm), failure.PropertyName), failure.ErrorMessage, failure.AttemptedValue)));
        }
    }

    /// <summary>
    /// <c>EchoPrefix</c> → <c>echoPrefix</c> (or its <see cref="JsonPropertyNameAttribute"/>); a path keeps its tail.
    /// </summary>
    public static string FieldName(Type formType, string propertyPath)
    {
        var end = propertyPath.IndexOfAny(['.', '[']);
        var head = end < 0 ? propertyPath : propertyPath[..end];
        if (head.Length == 0)
        {
            return propertyPath;
        }

        var named = formType.GetProperty(head, BindingFlags.Public | BindingFlags.Instance)
            ?.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
        return (named ?? JsonNamingPolicy.CamelCase.ConvertName(head)) + (end < 0 ? "" : propertyPath[end..]);
    }
}
