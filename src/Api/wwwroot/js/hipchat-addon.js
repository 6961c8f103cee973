// The framework's script in every view (Pages/PageShell.razor), after HipChat's all.js. It gives a view
// HipChatAddon.withToken and HipChatAddon.callAction, and runs every ActionForm (form[data-page-action]) with them,
// so that a view needs no script of its own to call its page actions.
(function () {
  'use strict';

  // A fresh JWT for each call: the one in signed_request may have expired since the view loaded.
  function withToken(callback) {
    if (!window.HipChat) {
      callback(new Error('HipChat is not reachable (all.js did not load).'), null);
      return;
    }
    HipChat.auth.withToken(function (err, token) {
      callback(err || !token ? new Error('HipChat gave no token.') : null, token || null);
    });
  }

  // Calls a page action: path as declared ('post-card', relative to the add-on's base URL, which is the view's
  // parent), body an object sent as JSON. Resolves with the fetch Response; rejects with an Error to show.
  function callAction(path, method, body) {
    return new Promise(function (resolve, reject) {
      withToken(function (err, token) {
        if (err) { reject(err); return; }
        fetch(new URL('../' + path, window.location.href), {
          method: method || 'POST',
          headers: { 'Authorization': 'JWT ' + token, 'Content-Type': 'application/json' },
          body: JSON.stringify(body || {}),
          credentials: 'omit'
        }).then(resolve, function () { reject(new Error('The add-on could not be reached.')); });
      });
    });
  }

  function fieldsOf(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.type === 'submit' || field.type === 'button') { return; }
      if (field.type === 'checkbox') {
        body[field.name] = field.checked;
      } else if (field.type !== 'radio' || field.checked) {
        body[field.name] = field.value;
      }
    });
    return body;
  }

  // Each error goes next to its field (FieldError); those of no field join the status line.
  function showErrors(form, errors) {
    var slots = Array.prototype.slice.call(form.querySelectorAll('[data-error-for]'));
    var unplaced = [];
    Object.keys(errors).forEach(function (field) {
      var slot = slots.find(function (s) { return s.dataset.errorFor.toLowerCase() === field.toLowerCase(); });
      if (slot) { slot.textContent = errors[field].join(' '); } else { unplaced = unplaced.concat(errors[field]); }
    });
    return unplaced.join(' ');
  }

  // Calls the form's page action with its fields; resolves true when the action succeeded.
  function submit(form) {
    var status = form.querySelector('[role="status"]');
    function say(text) { if (status) { status.textContent = text; } }
    form.querySelectorAll('[data-error-for]').forEach(function (slot) { slot.textContent = ''; });
    say(form.dataset.pending || 'Sending…');
    return callAction(form.dataset.pageAction, form.dataset.method, fieldsOf(form)).then(function (response) {
      if (response.ok) {
        say(form.dataset.done || 'Done.');
        return true;
      }
      return response.json().catch(function () { return {}; }).then(function (problem) {
        var refused = problem.title || 'The add-on refused the request (' + response.status + ').';
        var rest = showErrors(form, problem.errors || {});
        say(rest ? refused + ' ' + rest : refused);
        return false;
      });
    }, function (err) {
      say(err.message);
      return false;
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var forms = Array.prototype.slice.call(document.querySelectorAll('form[data-page-action]'));
    forms.forEach(function (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        submit(form);
      });
    });
    var inDialog = forms.filter(function (form) { return form.dataset.dialogButton; });
    if (inDialog.length > 0 && window.HipChat) {
      HipChat.register({
        'dialog-button-click': function (event, closeDialog) {
          inDialog.filter(function (form) { return form.dataset.dialogButton === event.action; })
            .forEach(function (form) {
              submit(form).then(function (ok) { if (ok) { closeDialog(true); } });
            });
        }
      });
    }
  });

  window.HipChatAddon = { withToken: withToken, callAction: callAction, submit: submit };
})();
