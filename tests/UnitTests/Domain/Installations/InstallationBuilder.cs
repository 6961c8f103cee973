using CleanAddon.Domain.Installations;

namespace CleanAddon.UnitTests.Domain.Installations;

internal sealed class InstallationBuilder
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private string _oAuthId = "2f4a1c9e-oauth";
    private string _oAuthSecret = "s3cr3t";
    private long _groupId = 7;
    private long? _roomId = 42;
    private HipChatEndpoints _endpoints = TestEndpoints.Cloud;
    private DateTimeOffset _now = DefaultNow;

    public InstallationBuilder WithOAuthId(string oAuthId)
    {
        _oAuthId = oAuthId;
        return this;
    }

    public InstallationBuilder WithOAuthSecret(string oAuthSecret)
    {
        _oAuthSecret = oAuthSecret;
        return this;
    }

    public InstallationBuilder InGroup(long groupId)
    {
        _groupId = groupId;
        return this;
    }

    public InstallationBuilder InRoom(long roomId)
    {
        _roomId = roomId;
        return this;
    }

    public InstallationBuilder Global()
    {
        _roomId = null;
        return this;
    }

    public InstallationBuilder WithEndpoints(HipChatEndpoints endpoints)
    {
        _endpoints = endpoints;
        return this;
    }

    public InstallationBuilder At(DateTimeOffset now)
    {
        _now = now;
        return this;
    }

    public Installation Build() => Installation.Create(_oAuthId, _oAuthSecret, _groupId, _roomId, _endpoints, _now);
}
