using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace CleanAddon.Infrastructure.HipChat;

/// <summary>HipChat's JSON: snake_case names, lower-case enum values, absent rather than null.</summary>
public static class HipChatJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    internal static RefitSettings RefitSettings { get; } = new(new SystemTextJsonContentSerializer(Options));
}
