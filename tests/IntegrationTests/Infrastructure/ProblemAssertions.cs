using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CleanAddon.IntegrationTests.Infrastructure;

public static class ProblemAssertions
{
    /// <summary>Asserts an RFC 9457 body of the given status and stable type, and that it leaks no internals.</summary>
    public static async Task<JsonObject> ShouldBeProblemAsync(
        this HttpResponseMessage response, HttpStatusCode status, string typeSlug)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        text.Should().NotContainAny("   at ", "Exception", "StackTrace");
        var problem = JsonNode.Parse(text)!.AsObject();
        problem["type"]!.GetValue<string>().Should().Be("https://cleanaddon.dev/problems/" + typeSlug);
        problem["status"]!.GetValue<int>().Should().Be((int)status);
        problem["title"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        return problem;
    }

    public static Task<JsonObject?> ReadJsonAsync(this HttpResponseMessage response) =>
        response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
}
