namespace CleanAddon.HipChatEmulator;

/// <summary>
/// A stand-in for HipChat's all.js with the calls add-on views use. In an iframe of the playground it asks the parent
/// window for a JWT; loaded on its own (tests) it hands out the page's own <c>signed_request</c>. Every call is
/// recorded in <c>HipChat.__calls</c>, and <c>HipChat.__trigger(event, payload)</c> plays HipChat raising an event.
/// </summary>
public static class AllJs
{
    public const string Path = "/atlassian-connect/all.js";

    public const string Script = """
        (function () {
          'use strict';
          var params = new URLSearchParams(window.location.search);
          var handlers = {};
          var calls = [];
          var pending = {};
          var next = 0;
          function record(name, args) { calls.push({ name: name, args: args === undefined ? null : args }); }
          function fromParent(type, payload, callback) {
            var id = 'hc' + (next++);
            pending[id] = callback;
            window.parent.postMessage({ hipchat: type, id: id, payload: payload }, '*');
            setTimeout(function () {
              if (pending[id]) { delete pending[id]; callback(new Error('HipChat did not answer'), null); }
            }, 2000);
          }
          window.addEventListener('message', function (event) {
            var data = event.data || {};
            if (data.hipchatReply && pending[data.id]) {
              var callback = pending[data.id];
              delete pending[data.id];
              callback(data.error ? new Error(data.error) : null, data.payload);
            } else if (data.hipchatEvent && handlers[data.hipchatEvent]) {
              handlers[data.hipchatEvent](data.payload, function (close) {
                window.parent.postMessage({ hipchat: 'dialog.close', payload: close }, '*');
              });
            }
          });
          var embedded = window.parent !== window;
          function notify(name) {
            return function (payload) {
              record(name, payload);
              if (embedded) { window.parent.postMessage({ hipchat: name, payload: payload || null }, '*'); }
            };
          }
          window.HipChat = {
            __calls: calls,
            __trigger: function (event, payload, done) {
              var handler = handlers[event];
              if (handler) { handler(payload, done || function () {}); }
            },
            auth: {
              withToken: function (callback) {
                record('auth.withToken');
                if (embedded) { fromParent('auth.withToken', null, callback); return; }
                var token = params.get('signed_request');
                setTimeout(function () { callback(token ? null : new Error('no signed_request'), token); }, 0);
              }
            },
            register: function (map) {
              record('register', Object.keys(map));
              Object.keys(map).forEach(function (key) { handlers[key] = map[key]; });
            },
            dialog: {
              open: notify('dialog.open'),
              update: notify('dialog.update'),
              updatePrimaryAction: notify('dialog.updatePrimaryAction'),
              close: notify('dialog.close')
            },
            sidebar: { openView: notify('sidebar.openView'), closeView: notify('sidebar.closeView') },
            chat: { appendMessage: notify('chat.appendMessage'), focus: notify('chat.focus') },
            user: {
              getCurrentUser: function (callback) {
                record('user.getCurrentUser');
                callback(null, { id: 4979430, name: 'Emulated User', mention_name: 'emulated' });
              }
            },
            room: {
              getRoomDetails: function (callback) { record('room.getRoomDetails'); callback(null, { id: 0, name: 'Emulated room' }); },
              getParticipants: function (callback) { record('room.getParticipants'); callback(null, []); }
            }
          };
        })();
        """;
}
