using CleanAddon.HipChatEmulator;

namespace CleanAddon.HipChatPlayground;

/// <summary>
/// The HipChat playground: the emulator's HipChat endpoints (the same code the integration tests use) plus a web UI
/// that installs add-ons, sends their webhooks and frames their views, all on one origin under <c>localhost</c>.
/// </summary>
public sealed class PlaygroundApp : IAsyncDisposable
{
    public const string DefaultUrl = "http://localhost:5090";
    public const string HttpClientName = "addons";

    private PlaygroundApp(WebApplication app, HipChatServer hipChat)
    {
        App = app;
        HipChat = hipChat;
    }

    public WebApplication App { get; }

    public HipChatServer HipChat { get; }

    /// <summary>Where a browser opens the playground; known once it started.</summary>
    public Uri BaseUrl => HipChat.BaseUrl;

    public static PlaygroundApp Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // JWTs ride in request lines, and the page polls: keep the terminal shared with the add-on readable.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Services.AddHttpClient(HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.AddSingleton<Playground>();

        var app = builder.Build();
        // The add-on's pages and glances point at HipChat's host; localhost is what its CSP and allow-list accept.
        var hipChat = HipChatServer.MapInto(app, host: "localhost");
        var playground = app.Services.GetRequiredService<Playground>();
        hipChat.RoomCallAccepted = playground.Accept;
        app.MapPlaygroundUi();
        app.MapPlaygroundApi(hipChat);
        return new PlaygroundApp(app, hipChat);
    }

    public async ValueTask DisposeAsync()
    {
        await HipChat.DisposeAsync();
        await App.DisposeAsync();
    }
}
