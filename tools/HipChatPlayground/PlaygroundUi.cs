namespace CleanAddon.HipChatPlayground;

/// <summary>The playground's page, script and styles: plain files embedded in the assembly, no build step.</summary>
internal static class PlaygroundUi
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    public static void MapPlaygroundUi(this WebApplication app)
    {
        app.MapGet("/", () => Serve("index.html"));
        app.MapGet("/ui/{name}", (string name) => Serve(name));
    }

    private static IResult Serve(string name) =>
        ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType)
        && typeof(PlaygroundUi).Assembly.GetManifestResourceStream("ui/" + name) is { } stream
            ? Results.Stream(stream, contentType)
            : Results.NotFound();
}
