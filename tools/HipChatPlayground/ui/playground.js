// The HipChat client of the playground: renders a room, its glances and the add-ons' views, and answers the
// parent side of all.js (auth.withToken, dialog.*, sidebar.*, chat.*) for the add-on iframes it opens.
(function () {
  'use strict';
  var api = '/playground/api';
  var roomId = Number(new URLSearchParams(location.search).get('room')) || 1;
  var seq = 0;
  var installations = [];
  var installed = '';
  var glanceSeq = {};
  var frames = [];
  var dialogAction = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function json(method, url, body) {
    return fetch(url, {
      method: method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) { return null; }
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.detail || data.title || ('HTTP ' + response.status)); }
        return data;
      });
    });
  }

  function text(value) { return value && typeof value === 'object' ? value.value : value; }

  // HipChat's curated HTML: a short list of tags and attributes; everything else is dropped or unwrapped.
  var allowed = {
    A: ['href'], B: [], I: [], STRONG: [], EM: [], BR: [], P: [], PRE: [], CODE: [], UL: [], OL: [], LI: [],
    TABLE: [], THEAD: [], TBODY: [], TR: [], TD: ['colspan', 'rowspan'], TH: ['colspan', 'rowspan'], SPAN: [],
    IMG: ['src', 'alt', 'width', 'height']
  };
  var dropped = { SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, TEMPLATE: 1 };
  function sanitize(html) {
    var source = new DOMParser().parseFromString('<body>' + html + '</body>', 'text/html').body;
    var out = document.createDocumentFragment();
    (function copy(from, into) {
      from.childNodes.forEach(function (child) {
        if (child.nodeType === Node.TEXT_NODE) { into.appendChild(document.createTextNode(child.textContent)); return; }
        if (child.nodeType !== Node.ELEMENT_NODE || dropped[child.tagName]) { return; }
        if (!allowed[child.tagName]) { copy(child, into); return; }
        var node = document.createElement(child.tagName);
        allowed[child.tagName].forEach(function (name) {
          var value = child.getAttribute(name);
          if (value === null) { return; }
          if ((name === 'href' || name === 'src') && !/^https?:/i.test(value)) { return; }
          node.setAttribute(name, value);
        });
        if (child.tagName === 'A') { node.target = '_blank'; node.rel = 'noopener noreferrer'; }
        copy(child, node);
        into.appendChild(node);
      });
    })(source, out);
    return out;
  }

  function formatted(value, format, into) {
    if (format === 'html') { into.appendChild(sanitize(value)); } else { into.textContent = value; }
    return into;
  }

  function renderCard(card) {
    var box = el('div', 'card card-' + (card.style || 'application'));
    var thumbnail = card.thumbnail && card.thumbnail.url;
    if (thumbnail) { var img = el('img', 'card-thumbnail'); img.src = thumbnail; img.alt = ''; box.appendChild(img); }
    var title = el('div', 'card-title');
    var icon = card.icon && (typeof card.icon === 'string' ? card.icon : card.icon.url);
    if (icon) { var i = el('img'); i.src = icon; i.alt = ''; title.appendChild(i); }
    var heading = card.url ? el('a', null, card.title) : el('span', null, card.title);
    if (card.url) { heading.href = card.url; heading.target = '_blank'; heading.rel = 'noopener noreferrer'; }
    title.appendChild(heading);
    box.appendChild(title);
    if (card.description) {
      var description = typeof card.description === 'string' ? { value: card.description, format: 'text' } : card.description;
      box.appendChild(formatted(description.value, description.format, el('div', 'card-description')));
    }
    if (card.attributes && card.attributes.length) {
      var list = el('dl', 'card-attributes');
      card.attributes.forEach(function (attribute) {
        var row = el('div');
        row.appendChild(el('dt', null, attribute.label));
        var value = attribute.value || {};
        var dd = el('dd');
        var label = el(value.url ? 'a' : 'span', value.style ? 'lozenge ' + value.style : null, value.label);
        if (value.url) { label.href = value.url; label.target = '_blank'; label.rel = 'noopener noreferrer'; }
        dd.appendChild(label);
        row.appendChild(dd);
        list.appendChild(row);
      });
      box.appendChild(list);
    }
    return box;
  }

  function renderItem(item) {
    var body = item.body || {};
    var li = el('li', item.kind);
    li.dataset.seq = item.seq;
    if (item.kind === 'system') { li.textContent = body.message; return li; }
    li.appendChild(el('span', 'from', item.from));
    if (item.kind === 'notification') {
      var color = body.color === 'random' ? ['yellow', 'green', 'red', 'purple', 'gray'][item.seq % 5] : (body.color || 'yellow');
      li.classList.add(color);
      if (body.from) { li.appendChild(el('span', 'label', body.from)); }
      // Card-aware clients show the card; the message is the fallback for the others.
      li.appendChild(body.card ? renderCard(body.card)
        : formatted(body.message, body.message_format || 'html', el('span', 'message')));
    } else {
      li.appendChild(el('span', 'message', body.message));
    }
    return li;
  }

  function token(oauthId) {
    return json('POST', api + '/installations/' + encodeURIComponent(oauthId) + '/token?roomId=' + roomId)
      .then(function (data) { return data.token; });
  }

  function withSignedRequest(url, jwt) {
    return url + (url.indexOf('?') < 0 ? '?' : '&') + 'signed_request=' + encodeURIComponent(jwt);
  }

  function modules(installation, name) { return (installation.descriptor.capabilities || {})[name] || []; }

  function find(oauthId) { return installations.filter(function (i) { return i.oauthId === oauthId; })[0]; }

  // An add-on view in an iframe, remembered so that its all.js messages are answered for its installation.
  function frame(iframe, installation, url) {
    frames = frames.filter(function (f) { return f.iframe !== iframe; });
    frames.push({ iframe: iframe, oauthId: installation.oauthId, origin: new URL(url).origin });
    return token(installation.oauthId).then(function (jwt) { iframe.src = withSignedRequest(url, jwt); });
  }

  function openPanel(installation, key) {
    var panel = modules(installation, 'webPanel').filter(function (p) { return p.key === key; })[0];
    if (!panel) { return; }
    $('panel-title').textContent = text(panel.name);
    $('glances-view').hidden = true;
    $('panel-view').hidden = false;
    frame($('panel-frame'), installation, panel.url);
  }

  function closePanel() {
    $('panel-view').hidden = true;
    $('glances-view').hidden = false;
    $('panel-frame').removeAttribute('src');
  }

  function openDialog(installation, key, options) {
    var dialog = modules(installation, 'dialog').filter(function (d) { return d.key === key; })[0];
    if (!dialog) { return; }
    var merged = Object.assign({}, dialog.options || {}, options || {});
    showDialog(installation, text(merged.title) || text(dialog.title), dialog.url, merged.primaryAction);
  }

  function showDialog(installation, title, url, primaryAction) {
    $('dialog-title').textContent = title;
    dialogAction = primaryAction || null;
    $('dialog-primary').hidden = !dialogAction;
    $('dialog-primary').disabled = false;
    $('dialog-primary').textContent = dialogAction ? text(dialogAction.name) : '';
    $('dialog').hidden = false;
    frame($('dialog-frame'), installation, url);
  }

  function closeDialog() {
    $('dialog').hidden = true;
    $('dialog-frame').removeAttribute('src');
    dialogAction = null;
  }

  window.addEventListener('message', function (event) {
    var source = frames.filter(function (f) { return f.iframe.contentWindow === event.source; })[0];
    var data = event.data || {};
    if (!source || source.origin !== event.origin || !data.hipchat) { return; }
    var installation = find(source.oauthId);
    if (!installation) { return; }
    var payload = data.payload || {};
    switch (data.hipchat) {
      case 'auth.withToken':
        token(installation.oauthId).then(function (jwt) {
          event.source.postMessage({ hipchatReply: true, id: data.id, payload: jwt }, event.origin);
        }, function (error) {
          event.source.postMessage({ hipchatReply: true, id: data.id, error: error.message }, event.origin);
        });
        break;
      case 'dialog.open': openDialog(installation, payload.key, payload.options); break;
      case 'dialog.close': if (data.payload !== false) { closeDialog(); } break;
      case 'dialog.update': if (payload.title) { $('dialog-title').textContent = text(payload.title); } break;
      case 'dialog.updatePrimaryAction': $('dialog-primary').disabled = payload.enabled === false; break;
      case 'sidebar.openView': openPanel(installation, payload.key); break;
      case 'sidebar.closeView': closePanel(); break;
      case 'chat.appendMessage': $('message').value += String(data.payload || ''); $('message').focus(); break;
      case 'chat.focus': $('message').focus(); break;
    }
  });

  $('dialog-primary').addEventListener('click', function () {
    if (!dialogAction) { return; }
    var target = frames.filter(function (f) { return f.iframe === $('dialog-frame'); })[0];
    $('dialog-frame').contentWindow.postMessage(
      { hipchatEvent: 'dialog-button-click', payload: { action: dialogAction.key } }, target.origin);
  });
  $('dialog-close').addEventListener('click', closeDialog);
  $('panel-back').addEventListener('click', closePanel);

  function renderGlance(li, content) {
    var label = li.querySelector('.glance-label');
    label.textContent = '';
    if (content && content.label) { label.appendChild(formatted(text(content.label), content.label.type || 'html', el('span'))); }
    var status = content && content.status;
    if (status && status.type === 'lozenge' && status.value) {
      label.appendChild(document.createTextNode(' '));
      label.appendChild(el('span', 'lozenge lozenge-' + status.value.type, status.value.label));
    }
  }

  // Like the HipChat client on opening a room: query every glance once, then follow the pushed updates.
  function queryGlances() {
    var list = $('glances');
    list.textContent = '';
    var at = seq;
    installations.forEach(function (installation) {
      modules(installation, 'glance').forEach(function (glance) {
        var li = el('li', 'glance');
        li.dataset.oauthId = installation.oauthId;
        li.dataset.key = glance.key;
        if (glance.icon && glance.icon.url) { var img = el('img'); img.src = glance.icon.url; img.alt = ''; li.appendChild(img); }
        var words = el('div');
        words.appendChild(el('span', 'glance-name', text(glance.name)));
        words.appendChild(el('span', 'glance-label', '…'));
        li.appendChild(words);
        li.addEventListener('click', function () {
          if (modules(installation, 'webPanel').some(function (p) { return p.key === glance.target; })) {
            openPanel(installation, glance.target);
          } else {
            openDialog(installation, glance.target);
          }
        });
        list.appendChild(li);
        glanceSeq[installation.oauthId + ' ' + glance.key] = at;
        token(installation.oauthId).then(function (jwt) {
          return fetch(withSignedRequest(glance.queryUrl, jwt)).then(function (response) {
            if (!response.ok) { throw new Error('HTTP ' + response.status); }
            return response.json();
          });
        }).then(function (content) { renderGlance(li, content); }, function () {
          li.querySelector('.glance-label').textContent = text(glance.name) + ' (unavailable)';
        });
      });
    });
  }

  function applyGlances(updates) {
    updates.forEach(function (update) {
      var id = update.oAuthId + ' ' + update.key;
      if (glanceSeq[id] === undefined || update.seq <= glanceSeq[id]) { return; }
      glanceSeq[id] = update.seq;
      var li = document.querySelector('.glance[data-oauth-id="' + CSS.escape(update.oAuthId) + '"][data-key="' + CSS.escape(update.key) + '"]');
      if (li) { renderGlance(li, update.content); }
    });
  }

  function renderInstallations() {
    var list = $('installations');
    list.textContent = '';
    installations.forEach(function (installation) {
      var li = el('li', 'installation');
      li.appendChild(el('strong', null, installation.name));
      li.appendChild(el('small', null, installation.global ? 'global' : 'this room'));
      var configurable = (installation.descriptor.capabilities || {}).configurable;
      if (configurable) {
        var configure = el('button', 'configure', 'Configure');
        configure.type = 'button';
        configure.addEventListener('click', function () {
          showDialog(installation, 'Configure ' + installation.name, configurable.url, null);
        });
        li.appendChild(configure);
      }
      modules(installation, 'dialog').forEach(function (dialog) {
        var open = el('button', 'open-dialog', text(dialog.title));
        open.type = 'button';
        open.addEventListener('click', function () { openDialog(installation, dialog.key); });
        li.appendChild(open);
      });
      var form = el('form');
      form.method = 'post';
      form.action = '/playground/uninstall/' + encodeURIComponent(installation.oauthId);
      var room = el('input');
      room.type = 'hidden';
      room.name = 'roomId';
      room.value = roomId;
      form.appendChild(room);
      var uninstall = el('button', 'uninstall', 'Uninstall');
      uninstall.type = 'submit';
      form.appendChild(uninstall);
      li.appendChild(form);
      list.appendChild(li);
    });
  }

  function refresh() {
    return json('GET', api + '/rooms/' + roomId + '?after=' + seq).then(function (state) {
      var feed = $('feed');
      state.items.forEach(function (item) { feed.appendChild(renderItem(item)); });
      if (state.items.length) { feed.scrollTop = feed.scrollHeight; }
      seq = state.seq;
      installations = state.installations;
      var now = installations.map(function (i) { return i.oauthId; }).join(',');
      if (now !== installed) {
        installed = now;
        renderInstallations();
        queryGlances();
      }
      applyGlances(state.glances);
      return state;
    });
  }

  function poll() { refresh().catch(function () {}).then(function () { setTimeout(poll, 700); }); }

  $('message-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var message = $('message').value;
    if (!message.trim()) { return; }
    $('message').value = '';
    json('POST', api + '/rooms/' + roomId + '/messages', { message: message }).then(refresh);
  });

  $('install-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var status = $('install-status');
    status.textContent = 'Installing…';
    json('POST', api + '/installations', {
      descriptorUrl: $('descriptor-url').value,
      roomId: $('install-scope').value === 'global' ? null : roomId
    }).then(function (result) {
      status.textContent = result.name + ' installed.';
      return refresh();
    }, function (error) { status.textContent = error.message; });
  });

  refresh().then(function (state) {
    $('room-name').textContent = state.room.name;
    $('user').textContent = state.user.name;
    document.title = state.room.name + ' · HipChat Playground';
    state.rooms.forEach(function (room) {
      var li = el('li', room.id === roomId ? 'active' : null);
      var link = el('a', null, '# ' + room.name);
      link.href = '/?room=' + room.id;
      li.appendChild(link);
      $('rooms').appendChild(li);
    });
    json('POST', api + '/rooms/' + roomId + '/enter');
    setTimeout(poll, 700);
  });
})();
