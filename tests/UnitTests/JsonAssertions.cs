using System.Text.Json.Nodes;

namespace CleanAddon.UnitTests;

internal static class JsonAssertions
{
    /// <summary>Asserts the same JSON as <paramref name="expected"/>, member order aside; the failure shows both.</summary>
    public static void ShouldBeJson(this JsonNode actual, string expected)
    {
        var wanted = JsonNode.Parse(expected)!;
        JsonNode.DeepEquals(actual, wanted).Should().BeTrue(
            "the JSON should be{0}{1}{0}but was{0}{2}", Environment.NewLine, wanted.ToJsonString(), actual.ToJsonString());
    }
}
