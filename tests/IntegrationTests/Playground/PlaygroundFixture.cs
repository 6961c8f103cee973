using CleanAddon.HipChatPlayground;

namespace CleanAddon.IntegrationTests.Playground;

/// <summary>The HipChat playground in-process, on a free loopback port that it announces under <c>localhost</c>.</summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    private PlaygroundApp _playground = null!;

    public PlaygroundApp Playground => _playground;

    public Uri BaseUrl => _playground.BaseUrl;

    public HttpClient CreateClient() => new() { BaseAddress = BaseUrl };

    public async ValueTask InitializeAsync()
    {
        _playground = PlaygroundApp.Create(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await _playground.App.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _playground.App.StopAsync();
        await _playground.DisposeAsync();
    }
}
