using CleanAddon.Application.Sample;

namespace CleanAddon.UnitTests.Sample;

public sealed class EchoCountGlanceTests
{
    [Theory]
    [InlineData(0L, "<b>0</b> echoes")]
    [InlineData(1L, "<b>1</b> echo")]
    [InlineData(2L, "<b>2</b> echoes")]
    [InlineData(1234567L, "<b>1234567</b> echoes")]
    public void The_glance_label_counts_echoes_in_singular_or_plural(long echoes, string label)
    {
        var content = EchoCountGlance.Describe(echoes);

        content.Label.Value.Should().Be(label);
        content.Label.Type.Should().Be("html");
        content.Status.Should().BeNull();
    }
}
