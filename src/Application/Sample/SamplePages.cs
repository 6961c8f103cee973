using System.Globalization;
using System.Net;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;

namespace CleanAddon.Application.Sample;

/// <summary>The tutorial's sidebar: the room's echo count and a button that posts a card to the room.</summary>
public sealed class SidebarPage(IAddonDbContext db) : IPageHandler
{
    public async ValueTask<AddonPage> RenderAsync(PageContext context, CancellationToken cancellationToken)
    {
        var echoes = context.Caller.RoomId is { } roomId
            ? (await db.Set<RoomActivity>().FindAsync([context.Caller.OAuthId, roomId], cancellationToken))?.EchoCount ?? 0
            : 0;
        var body = string.Create(CultureInfo.InvariantCulture, $"""
            <h2>Echo sidebar</h2>
            <p id="echo-count">This room has <b>{echoes}</b> {(echoes == 1 ? "echo" : "echoes")}.</p>
            <form id="card-form" class="aui">
              <div class="field-group">
                <label for="card-description">Card text</label>
                <input id="card-description" class="text" name="cardDescription" maxlength="1000"
                       value="This card was posted from the Sidebar">
              </div>
              <button id="send-card" class="aui-button aui-button-primary" type="submit">Send a Card</button>
            </form>
            <p id="status" role="status"></p>
            """);
        return new AddonPage("Echo sidebar", body, SampleScripts.PostCardOnSubmit);
    }
}

/// <summary>A dialog whose primary button (rendered by HipChat) posts the typed text to the room as a card.</summary>
public sealed class SampleDialog : IPageHandler
{
    public const string SendAction = "sample-dialog.send";

    public ValueTask<AddonPage> RenderAsync(PageContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new AddonPage(
            "Echo dialog",
            """
            <form id="card-form" class="aui">
              <div class="field-group">
                <label for="card-description">What should the card say?</label>
                <input id="card-description" class="text" name="cardDescription" maxlength="1000" value="Hello from the dialog">
              </div>
            </form>
            <p id="status" role="status"></p>
            """,
            SampleScripts.PostCardOnDialogButton(SendAction)));
}

/// <summary>The configure page: per-installation settings, saved with a JWT from <c>HipChat.auth.withToken</c>.</summary>
public sealed class ConfigurePage(IAddonDbContext db) : IPageHandler
{
    public async ValueTask<AddonPage> RenderAsync(PageContext context, CancellationToken cancellationToken)
    {
        var settings = await db.Set<InstallationSettings>().FindAsync([context.Caller.OAuthId], cancellationToken)
            ?? InstallationSettings.Defaults(context.Caller.OAuthId);
        var colors = string.Concat(InstallationSettings.Colors.Select(color =>
            $"""<option value="{color}"{(color == settings.Color ? " selected" : "")}>{color}</option>"""));
        var body = $"""
            <h2>Configure the echo</h2>
            <form id="settings-form" class="aui" novalidate>
              <div class="field-group">
                <label for="echoPrefix">Echo prefix</label>
                <input id="echoPrefix" class="text" name="echoPrefix" maxlength="{InstallationSettings.EchoPrefixMaxLength}"
                       value="{WebUtility.HtmlEncode(settings.EchoPrefix)}">
                <div class="error" data-for="EchoPrefix"></div>
              </div>
              <div class="field-group">
                <label for="color">Notification colour</label>
                <select id="color" class="select" name="color">{colors}</select>
                <div class="error" data-for="Color"></div>
              </div>
              <div class="checkbox">
                <input id="glanceEnabled" class="checkbox" type="checkbox" name="glanceEnabled"{(settings.GlanceEnabled ? " checked" : "")}>
                <label for="glanceEnabled">Update the glance after each echo</label>
              </div>
              <button id="save" class="aui-button aui-button-primary" type="submit">Save</button>
            </form>
            <p id="status" role="status"></p>
            """;
        return new AddonPage("Configure the echo", body, SampleScripts.SaveSettingsOnSubmit);
    }
}

/// <summary>
/// The pages' scripts. Every call back to the add-on carries a fresh JWT from <c>HipChat.auth.withToken</c> in the
/// Authorization header; the add-on paths are relative to the page (<c>{base}/pages/{key}</c>).
/// </summary>
internal static class SampleScripts
{
    private const string WithToken = """
        function withToken(status, send) {
          if (!window.HipChat) { status.textContent = 'HipChat is not reachable (all.js did not load).'; return; }
          HipChat.auth.withToken(function (err, token) {
            if (err || !token) { status.textContent = 'HipChat gave no token.'; return; }
            send(token);
          });
        }
        function postCard(status, done) {
          withToken(status, function (token) {
            fetch('../post-card', {
              method: 'POST',
              headers: { 'Authorization': 'JWT ' + token, 'Content-Type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ cardDescription: document.getElementById('card-description').value })
            }).then(function (response) {
              status.textContent = response.ok ? 'Card sent.' : 'The add-on refused the card (' + response.status + ').';
              if (done) { done(response.ok); }
            }).catch(function () { status.textContent = 'The add-on could not be reached.'; });
          });
        }
        """;

    public const string PostCardOnSubmit = WithToken + """
        document.getElementById('card-form').addEventListener('submit', function (event) {
          event.preventDefault();
          var status = document.getElementById('status');
          status.textContent = 'Sending…';
          postCard(status);
        });
        """;

    public const string SaveSettingsOnSubmit = WithToken + """
        document.getElementById('settings-form').addEventListener('submit', function (event) {
          event.preventDefault();
          var status = document.getElementById('status');
          document.querySelectorAll('.error').forEach(function (e) { e.textContent = ''; });
          status.textContent = 'Saving…';
          withToken(status, function (token) {
            fetch('../settings', {
              method: 'PUT',
              headers: { 'Authorization': 'JWT ' + token, 'Content-Type': 'application/json' },
              body: JSON.stringify({
                echoPrefix: document.getElementById('echoPrefix').value,
                color: document.getElementById('color').value,
                glanceEnabled: document.getElementById('glanceEnabled').checked
              })
            }).then(function (response) {
              if (response.ok) { status.textContent = 'Saved.'; return; }
              return response.json().then(function (problem) {
                status.textContent = problem.title || 'The settings were not saved.';
                Object.keys(problem.errors || {}).forEach(function (field) {
                  var slot = document.querySelector('.error[data-for="' + field + '"]');
                  if (slot) { slot.textContent = problem.errors[field].join(' '); }
                });
              });
            }).catch(function () { status.textContent = 'The add-on could not be reached.'; });
          });
        });
        """;

    public static string PostCardOnDialogButton(string action) => WithToken + $$"""
        if (window.HipChat) {
          HipChat.register({
            'dialog-button-click': function (event, closeDialog) {
              if (event.action !== '{{action}}') { return; }
              postCard(document.getElementById('status'), function (ok) { if (ok) { closeDialog(true); } });
            }
          });
        }
        """;
}
