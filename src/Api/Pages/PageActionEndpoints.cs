using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CleanAddon.Api.Authentication;
using CleanAddon.Api.Capabilities;
using CleanAddon.Api.ProblemDetails;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Pages;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CleanAddon.Api.Pages;

/// <summary>
/// One endpoint per declared page action, at <c>{Addon:BaseUrl}/{path}</c>: the JWT from the Authorization header
/// only (a view gets it from <c>HipChat.auth.withToken</c>; a signed_request in a URL is never accepted here), a body
/// of at most <see cref="MaxBodyBytes"/> as JSON or form fields read as the action's form, then the installation
/// check, the validators and the action in one unit of work (<see cref="RunPageActionCommand"/>). Answers 204.
/// </summary>
internal static class PageActionEndpoints
{
    /// <summary>A view sends a few fields, never a file: this bounds what a caller can make the add-on read.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly AuthorizeAttribute Backend =
        new() { AuthenticationSchemes = HipChatJwtDefaults.BackendScheme };

    private static readonly JsonSerializerOptions JsonBody = new(JsonSerializerDefaults.Web);

    /// <summary>Form fields are strings: numbers are read from them, booleans as checkboxes send them.</summary>
    private static readonly JsonSerializerOptions FormBody =
        new(JsonSerializerDefaults.Web) { Converters = { new FormBoolean() } };

    public static void MapPageActions(this IEndpointRouteBuilder app, AddonModules modules)
    {
        foreach (var action in modules.PageActions)
        {
            var first = action.Path.Split('/')[0];
            if (AddonRoutes.FrameworkSegments.Contains(first))
            {
                throw new AddonDeclarationException(action.Path, $"'/{first}' belongs to the framework's routes.");
            }

            app.MapMethods("/" + action.Path, [action.Method.Method], (HttpContext context, ISender sender) =>
                    RunAsync(context, action, sender))
                .RequireAuthorization(Backend)
                .WithMetadata(ReusedTokens.Instance)
                .WithName($"page-action:{action.Method.Method} {action.Path}");
        }
    }

    private static async Task<IResult> RunAsync(HttpContext context, PageActionDeclaration action, ISender sender)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        var request = context.Request;
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false;
        if (hasBody && !CapabilityEndpoints.IsJson(request) && !request.HasFormContentType)
        {
            return Problem(
                ProblemTypes.UnsupportedMediaType,
                "A page action takes JSON, application/x-www-form-urlencoded or multipart/form-data.");
        }

        var cancellationToken = context.RequestAborted;
        object? form;
        try
        {
            form = !hasBody ? JsonSerializer.Deserialize("{}", action.FormType, JsonBody)
                : request.HasFormContentType ? FromForm(await request.ReadFormAsync(cancellationToken), action.FormType)
                : await JsonSerializer.DeserializeAsync(request.Body, action.FormType, JsonBody, cancellationToken);
        }
        catch (JsonException)
        {
            return Problem(ProblemTypes.MalformedRequest, "The body's fields do not fit this action's form.");
        }
        catch (InvalidDataException)
        {
            return Problem(ProblemTypes.MalformedRequest, "The form cannot be read.");
        }

        if (form is null)
        {
            return Problem(ProblemTypes.MalformedRequest, "The body is null.");
        }

        await sender.Send(new RunPageActionCommand(context.User.ToHipChatCaller(), action, form), cancellationToken);
        return TypedResults.NoContent();
    }

    private static object? FromForm(IFormCollection fields, Type formType)
    {
        var json = new JsonObject();
        foreach (var (name, values) in fields)
        {
            json[name] = values.Count == 1
                ? JsonValue.Create(values[0])
                : new JsonArray([.. values.Select(value => (JsonNode?)JsonValue.Create(value))]);
        }

        return json.Deserialize(formType, FormBody);
    }

    private static ProblemHttpResult Problem(ProblemType type, string detail) =>
        TypedResults.Problem(ProblemWriter.Create(type, detail));

    /// <summary>A checkbox sends "on" (or a chosen value such as "true"); unchecked, it sends nothing.</summary>
    private sealed class FormBoolean : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.String => reader.GetString()?.ToUpperInvariant() switch
                {
                    "ON" or "TRUE" or "1" => true,
                    "OFF" or "FALSE" or "0" => false,
                    _ => throw new JsonException("Not a boolean."),
                },
                _ => throw new JsonException("Not a boolean."),
            };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
            writer.WriteBooleanValue(value);
    }
}
