// The operator portal's page: endpoints, their templates, secrets, statistics and delivery log,
// over the portal's JSON API (relative URLs, so the host may mount it anywhere).
//
// Everything the API returns is someone else's text (URLs, descriptions, headers, receivers'
// answers): it reaches the document only as text nodes and plain attribute values, through el()
// below, which refuses event-handler and style attributes and any link that is not in-page.
'use strict';

(() => {
  const DEFAULT_TEMPLATE =
    '{\n' +
    '  "id": "{{event.id}}",\n' +
    '  "type": "{{event.type}}",\n' +
    '  "timestamp": "{{event.timestamp}}",\n' +
    '  "data": "{{data}}"\n' +
    '}\n';
  const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
  const STATES = ['PENDING', 'SUCCEEDED', 'DEAD'];
  const POLL_EVERY_MS = 1000;
  const POLL_FOR_MS = 30000;
  const PAGE_SIZE = 25;
  const ROTATION_GRACE_SECONDS = 86400;
  const SVG_NS = 'http://www.w3.org/2000/svg';

  // ---------------------------------------------------------------- DOM

  const ALLOWED_ATTRIBUTES =
    /^(id|class|for|type|name|placeholder|title|role|tabindex|colspan|scope|rows|autocomplete|spellcheck|inputmode|href|datetime|data-[a-z-]+|aria-[a-z]+)$/;
  const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'required']);

  /**
   * Makes an element. attrs: plain attributes (checked against ALLOWED_ATTRIBUTES; href only
   * in-page), DOM properties (value, checked, ...) and `on: {event: handler}`. Children are
   * nodes or values, which become text nodes.
   */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttributes(node, attrs);
    add(node, children);
    return node;
  }

  function setAttributes(node, attrs) {
    if (!attrs) {
      return;
    }
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined) {
        continue;
      }
      if (name === 'on') {
        for (const [event, handler] of Object.entries(value)) {
          node.addEventListener(event, handler);
        }
      } else if (PROPERTIES.has(name)) {
        node[name] = name === 'value' ? String(value) : Boolean(value);
      } else {
        if (!ALLOWED_ATTRIBUTES.test(name)) {
          throw new Error('attribute not allowed: ' + name);
        }
        if (name === 'href' && !String(value).startsWith('#')) {
          throw new Error('only in-page links');
        }
        if (value !== false) {
          node.setAttribute(name, value === true ? '' : String(value));
        }
      }
    }
  }

  function add(node, ...children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) {
        continue;
      }
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      node.setAttribute(name, String(value));
    }
    add(node, children);
    return node;
  }

  function replace(node, ...children) {
    node.replaceChildren();
    return add(node, children);
  }

  function button(label, attrs) {
    return el('button', Object.assign({ type: 'button' }, attrs), label);
  }

  function field(label, input, hint) {
    return el(
      'div',
      { class: 'field' },
      el('label', { for: input.id }, label),
      input,
      hint ? el('p', { class: 'hint' }, hint) : null);
  }

  function options(select, values, selected) {
    for (const item of values) {
      const value = typeof item === 'string' ? item : item.value;
      const label = typeof item === 'string' ? item : item.label;
      select.appendChild(el('option', { value, selected: value === selected }, label));
    }
    return select;
  }

  // ---------------------------------------------------------------- formatting

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  function formatTime(iso) {
    if (!iso) {
      return '—';
    }
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) {
      return String(iso);
    }
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function timeElement(iso) {
    return el('time', { datetime: iso || null, title: iso || null }, formatTime(iso));
  }

  function hourLabel(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : `${pad(d.getHours())}:00`;
  }

  /** The value of a datetime-local input for a date, in local time. */
  function toLocalInput(d) {
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  /** A datetime-local value (local time) as an ISO instant, or null. */
  function localToIso(value) {
    if (!value) {
      return null;
    }
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }

  function ms(n) {
    if (n === null || n === undefined) {
      return '—';
    }
    return n === 0 ? '<1 ms' : `${n} ms`; // whole milliseconds: 0 is under one
  }

  function percent(rate) {
    return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
  }

  function stateBadge(state) {
    const known = STATES.includes(state) ? state.toLowerCase() : 'other';
    return el('span', { class: `badge state-${known}`, 'data-testid': 'state' }, state);
  }

  function statusText(attempt) {
    if (!attempt) {
      return '—';
    }
    return attempt.status ? String(attempt.status) : 'no response';
  }

  function describeAuth(auth) {
    if (!auth) {
      return 'None';
    }
    switch (auth.kind) {
      case 'basic':
        return `Basic, user ${auth.username}`;
      case 'bearer':
        return 'Bearer token';
      case 'apiKey':
        return `API key in ${auth.header}`;
      default:
        return String(auth.kind);
    }
  }

  function eventTypeChips(types) {
    if (!types || types.length === 0) {
      return el('span', { class: 'chip chip-all' }, 'all events');
    }
    return types.map((t) => el('span', { class: 'chip' }, t));
  }

  /** Whether a subscription pattern (a name, "prefix.*" or "*") takes an event type. */
  function subscribes(patterns, type) {
    if (!patterns || patterns.length === 0) {
      return true;
    }
    return patterns.some((p) => p === type || p === '*' ||
      (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, body) {
      const message = body && typeof body.message === 'string' && body.message
        ? body.message
        : status === 0 ? 'The portal cannot be reached.' : `The request failed (HTTP ${status}).`;
      super(message);
      this.status = status;
      this.code = body && typeof body.error === 'string' ? body.error : null;
      this.line = body && Number.isInteger(body.line) ? body.line : null;
      this.column = body && Number.isInteger(body.column) ? body.column : null;
    }
  }

  const session = { tenant: null, csrfToken: null };

  async function loadSession() {
    const s = await call('GET', 'api/session');
    session.tenant = s.tenant;
    session.csrfToken = s.csrfToken;
    document.getElementById('tenant').textContent = s.tenant || '';
  }

  /** One API call; answers the parsed JSON (null for 204) or throws an ApiError. */
  async function call(method, path, body, retried) {
    const headers = { Accept: 'application/json' };
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store', redirect: 'manual' };
    if (method !== 'GET') {
      headers['X-CSRF-Token'] = session.csrfToken || '';
      headers['Content-Type'] = 'application/json';
      if (body !== undefined) {
        init.body = JSON.stringify(body);
      }
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, null);
    }
    if (response.type === 'opaqueredirect') {
      // The API never redirects; a host's sign-in does, to its login page.
      throw new ApiError(401, null);
    }
    let data = null;
    if ((response.headers.get('Content-Type') || '').includes('json')) {
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
    }
    if (response.ok) {
      return data;
    }
    if (response.status === 403 && data && data.error === 'csrf' && !retried) {
      // The token may have been renewed (a new session, another tab): fetch it and try once more.
      await loadSession();
      return call(method, path, body, true);
    }
    throw new ApiError(response.status, data);
  }

  let eventTypesCache = null;

  function eventTypes() {
    if (!eventTypesCache) {
      eventTypesCache = call('GET', 'api/event-types').catch((e) => {
        eventTypesCache = null;
        throw e;
      });
    }
    return eventTypesCache;
  }

  function endpointPath(id) {
    return 'api/endpoints/' + encodeURIComponent(id);
  }

  function endpointHash(id) {
    return '#/endpoints/' + encodeURIComponent(id);
  }

  // ---------------------------------------------------------------- views and routing

  const view = document.getElementById('view');
  const notice = document.getElementById('notice');
  const timers = new Set();
  let generation = 0;
  let flash = null;

  /** Whether the view that started with `gen` is still on screen. */
  function live(gen) {
    return gen === generation;
  }

  /** Runs fn after a delay, unless the view changed meanwhile. */
  function later(gen, fn, delay) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (live(gen)) {
        fn();
      }
    }, delay);
    timers.add(timer);
  }

  function show(gen, title, node) {
    if (!live(gen)) {
      return;
    }
    document.title = `${title} · Webhooks`;
    replace(view, node);
    const heading = view.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }

  function say(message, kind) {
    if (!message) {
      notice.hidden = true;
      notice.textContent = '';
      return;
    }
    notice.textContent = message;
    notice.className = `notice notice-${kind || 'info'}`;
    notice.hidden = false;
  }

  function simplePage(id, title, text) {
    return el(
      'section',
      { class: 'page message-page', id, 'data-testid': id },
      el('h1', null, title),
      el('p', { class: 'muted' }, text),
      el('p', null, el('a', { href: '#/', class: 'button' }, 'Back to endpoints')));
  }

  function showError(gen, error, what) {
    if (!live(gen)) {
      return;
    }
    if (error instanceof ApiError && error.status === 401) {
      document.getElementById('tenant').textContent = '';
      session.csrfToken = null;
      show(gen, 'Not signed in', el(
        'section',
        { class: 'page message-page', id: 'not-signed-in', 'data-testid': 'not-signed-in' },
        el('h1', null, 'Not signed in'),
        el('p', { class: 'muted' }, 'Sign in to the application to manage its webhooks, then reload this page.')));
    } else if (error instanceof ApiError && error.status === 404 && what === 'endpoint') {
      show(gen, 'Endpoint not found', simplePage(
        'not-found', 'Endpoint not found', 'There is no such endpoint in this account.'));
    } else {
      show(gen, 'Error', simplePage(
        'error-page', 'Something went wrong', error instanceof ApiError ? error.message : 'The page failed.'));
      if (!(error instanceof ApiError)) {
        console.error(error);
      }
    }
  }

  async function route() {
    generation++;
    timers.forEach(clearTimeout);
    timers.clear();
    const gen = generation;
    say(flash, 'success');
    flash = null;
    const path = location.hash.replace(/^#/, '') || '/';
    let match;
    let what = null;
    try {
      if (!session.csrfToken) {
        await loadSession();
      }
      if (path === '/') {
        await listView(gen);
      } else if (path === '/new') {
        await formView(gen, null);
      } else if ((match = /^\/endpoints\/([^/]+)\/edit$/.exec(path))) {
        what = 'endpoint';
        await formView(gen, decodeURIComponent(match[1]));
      } else if ((match = /^\/endpoints\/([^/]+)$/.exec(path))) {
        what = 'endpoint';
        await detailView(gen, decodeURIComponent(match[1]));
      } else {
        show(gen, 'Not found', simplePage('page-not-found', 'Page not found', 'There is nothing at this address.'));
      }
    } catch (e) {
      showError(gen, e, what);
    }
  }

  // ---------------------------------------------------------------- confirm dialog

  function confirmAction(message, okLabel) {
    const dialog = document.getElementById('confirm-dialog');
    document.getElementById('confirm-message').textContent = message;
    document.getElementById('confirm-ok').textContent = okLabel;
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
      document.getElementById('confirm-cancel').focus();
    });
  }

  function wireDialog() {
    const dialog = document.getElementById('confirm-dialog');
    document.getElementById('confirm-ok').addEventListener('click', () => dialog.close('ok'));
    document.getElementById('confirm-cancel').addEventListener('click', () => dialog.close('cancel'));
  }

  /** Disables a button while an action runs, and reports its failure in `out`. */
  async function busy(btn, out, action) {
    btn.disabled = true;
    try {
      await action();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        showError(generation, e);
        return;
      }
      if (out) {
        replace(out, e.message);
        out.className = 'result result-error';
      } else {
        say(e.message, 'error');
      }
    } finally {
      btn.disabled = false;
    }
  }

  // ---------------------------------------------------------------- #/  endpoint list

  async function listView(gen) {
    const endpoints = await call('GET', 'api/endpoints');
    const rows = endpoints.map((ep) => {
      const link = el('a', { href: endpointHash(ep.id), class: 'url', 'data-testid': 'endpoint-link' }, ep.url);
      return el(
        'tr',
        { 'data-testid': 'endpoint-row', 'data-endpoint-id': ep.id },
        el('td', { class: 'col-url' }, el('span', { class: 'method' }, ep.method), ' ', link),
        el('td', { class: 'col-description', 'data-testid': 'endpoint-description' }, ep.description),
        el('td', { class: 'col-types' }, eventTypeChips(ep.eventTypes)),
        el('td', { class: 'col-status' }, enabledBadge(ep)));
    });
    show(gen, 'Endpoints', el(
      'section',
      { class: 'page', id: 'endpoint-list', 'data-testid': 'endpoint-list' },
      el(
        'div',
        { class: 'page-head' },
        el('div', null,
          el('h1', null, 'Endpoints'),
          el('p', { class: 'muted' }, 'Where this account\u2019s events are delivered.')),
        el('div', { class: 'actions' },
          el('a', { href: '#/new', class: 'button primary', id: 'add-endpoint', 'data-testid': 'add-endpoint' },
            'Add endpoint'))),
      rows.length === 0
        ? el('div', { class: 'card empty', id: 'no-endpoints', 'data-testid': 'no-endpoints' },
          el('p', null, 'No endpoints yet.'),
          el('p', { class: 'muted' }, 'Add one to start receiving events.'))
        : el(
          'div',
          { class: 'card flush' },
          el(
            'table',
            { class: 'table', id: 'endpoints-table', 'data-testid': 'endpoints-table' },
            el('thead', null, el('tr', null,
              el('th', { scope: 'col' }, 'URL'),
              el('th', { scope: 'col' }, 'Description'),
              el('th', { scope: 'col' }, 'Event types'),
              el('th', { scope: 'col' }, 'Status'))),
            el('tbody', null, rows)))));
  }

  function enabledBadge(ep) {
    return ep.enabled
      ? el('span', { class: 'badge enabled', 'data-testid': 'endpoint-status' }, 'Enabled')
      : el('span', { class: 'badge disabled', 'data-testid': 'endpoint-status', title: ep.disabledReason || null },
        'Disabled');
  }

  // ---------------------------------------------------------------- #/new, #/endpoints/{id}/edit

  async function formView(gen, id) {
    const [catalogue, endpoint] = await Promise.all([
      eventTypes(),
      id === null ? Promise.resolve(null) : call('GET', endpointPath(id)),
    ]);
    if (!live(gen)) {
      return;
    }
    const editing = endpoint !== null;
    const current = endpoint || {
      url: '', method: 'POST', description: '', eventTypes: [], headers: {}, authentication: null, template: null,
    };

    const url = el('input', {
      id: 'f-url', 'data-testid': 'f-url', name: 'url', type: 'url', inputmode: 'url', autocomplete: 'off', spellcheck: 'false',
      placeholder: 'https://example.com/webhooks', value: current.url, required: true,
    });
    const method = options(el('select', { id: 'f-method', 'data-testid': 'f-method', name: 'method' }), METHODS, current.method || 'POST');
    const description = el('input', {
      id: 'f-description', 'data-testid': 'f-description', name: 'description', type: 'text', autocomplete: 'off',
      placeholder: 'What this endpoint is for', value: current.description || '',
    });

    const types = eventTypeChooser(catalogue, current.eventTypes || []);
    const headers = headerEditor(current.headers || {});
    const auth = authChooser(editing, current.authentication);
    const template = templateEditor(catalogue, current);

    const error = el('div', { class: 'form-error', id: 'form-error', 'data-testid': 'form-error', role: 'alert', hidden: true });
    const save = el('button', { type: 'submit', class: 'primary', id: 'save', 'data-testid': 'save' },
      editing ? 'Save changes' : 'Create endpoint');
    const cancel = el('a', { href: editing ? endpointHash(endpoint.id) : '#/', class: 'button', id: 'cancel' }, 'Cancel');

    const form = el(
      'form',
      { id: 'endpoint-form', 'data-testid': 'endpoint-form', class: 'endpoint-form', autocomplete: 'off' },
      el('section', { class: 'card' },
        el('h2', null, 'Destination'),
        el('div', { class: 'row' },
          el('div', { class: 'grow' }, field('URL', url)),
          field('Method', method)),
        field('Description', description)),
      el('section', { class: 'card' }, el('h2', null, 'Event types'), types.node),
      el('div', { class: 'two' },
        el('section', { class: 'card' },
          el('h2', null, 'Custom headers'),
          el('p', { class: 'hint' }, 'Sent with every delivery, besides the signature headers.'),
          headers.node),
        el('section', { class: 'card' }, el('h2', null, 'Authentication'), auth.node)),
      el('section', { class: 'card' }, el('h2', null, 'Payload template'), template.node),
      error,
      el('div', { class: 'form-actions' }, save, cancel));

    // The server's validation is the one that counts (and names the setting); the browser's
    // would stop some of its messages from being shown.
    form.noValidate = true;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      error.hidden = true;
      let input;
      try {
        input = {
          url: url.value.trim(),
          method: method.value,
          description: description.value,
          eventTypes: types.value(),
          headers: headers.value(),
          authentication: auth.value(),
          template: template.value(),
        };
      } catch (e) {
        replace(error, e.message);
        error.hidden = false;
        return;
      }
      busy(save, null, async () => {
        try {
          const saved = editing
            ? await call('PUT', endpointPath(endpoint.id), input)
            : await call('POST', 'api/endpoints', input);
          if (!live(gen)) {
            return;
          }
          flash = editing ? 'Changes saved.' : 'Endpoint created.';
          location.hash = endpointHash(saved.id);
        } catch (e) {
          if (!(e instanceof ApiError) || e.status === 401) {
            throw e;
          }
          replace(error, e.message);
          if (e.line !== null) {
            error.appendChild(el('span', { class: 'where' }, ` (template line ${e.line}, column ${e.column})`));
            template.showError(e);
          }
          error.hidden = false;
          error.scrollIntoView({ block: 'nearest' });
        }
      });
    });

    show(gen, editing ? 'Edit endpoint' : 'Add endpoint', el(
      'section',
      { class: 'page', id: editing ? 'edit-endpoint-page' : 'new-endpoint-page', 'data-testid': 'form-page' },
      el('div', { class: 'page-head' },
        el('div', null,
          el('p', { class: 'crumbs' }, el('a', { href: '#/' }, 'Endpoints'),
            editing ? [' / ', el('a', { href: endpointHash(endpoint.id), class: 'url' }, endpoint.url)] : null),
          el('h1', null, editing ? 'Edit endpoint' : 'Add endpoint'))),
      form));
    if (!editing) {
      url.focus();
    }
  }

  function eventTypeChooser(catalogue, selected) {
    const all = el('input', { type: 'checkbox', id: 'f-event-all', 'data-testid': 'event-all', checked: selected.length === 0 });
    const known = new Set(catalogue.map((t) => t.name));
    // Subscriptions the catalogue does not list (patterns such as "experience.*") stay as they are.
    const extra = selected.filter((t) => !known.has(t));
    const boxes = [];
    const items = [];
    catalogue.forEach((type, i) => {
      const box = el('input', {
        type: 'checkbox', id: `f-event-${i}`, 'data-event-type': type.name, checked: selected.includes(type.name),
      });
      boxes.push(box);
      items.push(el('li', null, el('label', { for: box.id, class: 'check' }, box,
        el('span', null, el('code', null, type.name), el('span', { class: 'muted desc' }, type.description)))));
    });
    extra.forEach((pattern, i) => {
      const box = el('input', { type: 'checkbox', id: `f-event-x${i}`, 'data-event-type': pattern, checked: true });
      boxes.push(box);
      items.push(el('li', null, el('label', { for: box.id, class: 'check' }, box,
        el('span', null, el('code', null, pattern), el('span', { class: 'muted desc' }, 'pattern')))));
    });
    const list = el('ul', { class: 'checklist', id: 'f-event-types', 'data-testid': 'event-types' }, items);
    const sync = () => {
      list.classList.toggle('inactive', all.checked);
      boxes.forEach((b) => { b.disabled = all.checked; });
    };
    all.addEventListener('change', sync);
    sync();
    return {
      node: [
        el('label', { for: all.id, class: 'check all' }, all,
          el('span', null, el('strong', null, 'All events'), el('span', { class: 'muted desc' }, 'including types added later'))),
        list,
      ],
      value() {
        if (all.checked) {
          return [];
        }
        const chosen = boxes.filter((b) => b.checked).map((b) => b.getAttribute('data-event-type'));
        if (chosen.length === 0) {
          throw new Error('Choose at least one event type, or all events.');
        }
        return chosen;
      },
    };
  }

  function headerEditor(initial) {
    const rows = el('div', { class: 'header-rows', id: 'f-headers', 'data-testid': 'headers' });
    let counter = 0;
    const addRow = (name, value) => {
      const n = counter++;
      const nameInput = el('input', {
        type: 'text', class: 'header-name', id: `f-header-name-${n}`, 'data-testid': 'header-name',
        placeholder: 'X-Header-Name', value: name, 'aria-label': 'Header name', spellcheck: 'false',
      });
      const valueInput = el('input', {
        type: 'text', class: 'header-value', id: `f-header-value-${n}`, 'data-testid': 'header-value',
        placeholder: 'value', value, 'aria-label': 'Header value', spellcheck: 'false',
      });
      const row = el('div', { class: 'header-row', 'data-testid': 'header-row' }, nameInput, valueInput);
      row.appendChild(button('Remove', {
        class: 'small', 'data-testid': 'header-remove', 'aria-label': 'Remove header',
        on: { click: () => row.remove() },
      }));
      rows.appendChild(row);
      return nameInput;
    };
    for (const [name, value] of Object.entries(initial)) {
      addRow(name, value);
    }
    const addButton = button('Add header', {
      class: 'small', id: 'add-header', 'data-testid': 'add-header', on: { click: () => addRow('', '').focus() },
    });
    return {
      node: [rows, addButton],
      value() {
        const out = {};
        const seen = new Set();
        for (const row of rows.querySelectorAll('.header-row')) {
          const name = row.querySelector('.header-name').value.trim();
          const value = row.querySelector('.header-value').value;
          if (!name && !value) {
            continue;
          }
          if (!name) {
            throw new Error('A custom header has a value but no name.');
          }
          if (seen.has(name.toLowerCase())) {
            throw new Error(`The header ${name} is listed twice.`);
          }
          seen.add(name.toLowerCase());
          out[name] = value;
        }
        return out;
      },
    };
  }

  function authChooser(editing, current) {
    const kinds = [];
    if (editing) {
      kinds.push({ value: 'keep', label: `Keep current (${describeAuth(current)})` });
    }
    kinds.push(
      { value: 'none', label: 'None' },
      { value: 'basic', label: 'Basic' },
      { value: 'bearer', label: 'Bearer token' },
      { value: 'apiKey', label: 'API key' });
    const chosen = editing ? 'keep' : 'none';
    const input = (id, label, attrs) => field(label, el('input', Object.assign({
      id, type: 'text', autocomplete: 'off', spellcheck: 'false', 'data-testid': id,
    }, attrs)));
    const panels = {
      basic: el('div', { class: 'auth-fields', 'data-kind': 'basic' },
        input('f-auth-username', 'Username', {}),
        input('f-auth-password', 'Password', { type: 'password', autocomplete: 'new-password' })),
      bearer: el('div', { class: 'auth-fields', 'data-kind': 'bearer' },
        input('f-auth-token', 'Token', { type: 'password', autocomplete: 'new-password' })),
      apiKey: el('div', { class: 'auth-fields', 'data-kind': 'apiKey' },
        input('f-auth-header', 'Header', { placeholder: 'X-API-Key', value: 'X-API-Key' }),
        input('f-auth-value', 'Key', { type: 'password', autocomplete: 'new-password' })),
    };
    const radios = kinds.map((k) => el('input', {
      type: 'radio', name: 'auth', id: `f-auth-${k.value.toLowerCase()}`, 'data-testid': `auth-${k.value}`,
      'data-kind': k.value, checked: k.value === chosen,
    }));
    const sync = () => {
      const kind = radios.find((r) => r.checked).getAttribute('data-kind');
      for (const [k, panel] of Object.entries(panels)) {
        panel.hidden = k !== kind;
      }
    };
    radios.forEach((r) => r.addEventListener('change', sync));
    sync();
    const text = (id) => document.getElementById(id).value;
    const required = (id, what) => {
      const v = text(id);
      if (!v) {
        throw new Error(`Authentication: enter the ${what}.`);
      }
      return v;
    };
    return {
      node: [
        el('div', { class: 'radios', role: 'radiogroup', 'aria-label': 'Authentication' },
          kinds.map((k, i) => el('label', { for: radios[i].id, class: 'check' }, radios[i], k.label))),
        Object.values(panels),
      ],
      value() {
        switch (radios.find((r) => r.checked).getAttribute('data-kind')) {
          case 'keep':
            return { kind: 'keep' };
          case 'basic':
            return { kind: 'basic', username: required('f-auth-username', 'username'), password: required('f-auth-password', 'password') };
          case 'bearer':
            return { kind: 'bearer', token: required('f-auth-token', 'token') };
          case 'apiKey':
            return { kind: 'apiKey', header: required('f-auth-header', 'header name'), value: required('f-auth-value', 'key') };
          default:
            return null;
        }
      },
    };
  }

  function templateEditor(catalogue, current) {
    const area = el('textarea', {
      id: 'f-template', name: 'template', 'data-testid': 'template', rows: 14, spellcheck: 'false',
      placeholder: 'Empty: the default envelope {"id", "type", "timestamp", "data"}',
      value: current.template || '',
    });
    const example = button('Start from example', {
      class: 'small', id: 'template-example', 'data-testid': 'template-example',
      on: {
        click: () => {
          area.value = DEFAULT_TEMPLATE;
          area.focus();
        },
      },
    });
    const firstChosen = catalogue.find((t) => (current.eventTypes || []).includes(t.name));
    const eventType = options(
      el('select', { id: 'preview-event-type', 'data-testid': 'preview-event-type', 'aria-label': 'Event type to preview with' }),
      catalogue.map((t) => t.name),
      (firstChosen || catalogue[0] || {}).name);
    const previewButton = button('Preview', { class: 'small', id: 'preview-button', 'data-testid': 'preview-button' });
    const body = el('pre', { class: 'code preview-body', id: 'preview-body', 'data-testid': 'preview-body', hidden: true });
    const error = el('div', { class: 'preview-error', id: 'preview-error', 'data-testid': 'preview-error', role: 'alert', hidden: true });
    const placeholders = el('p', { class: 'hint', id: 'preview-placeholders', hidden: true });
    const idle = el('p', { class: 'muted', id: 'preview-idle' }, 'Preview shows the body a receiver gets for the example event.');

    const showError = (e) => {
      replace(error, e.message);
      if (e.line !== null) {
        error.appendChild(document.createTextNode(' '));
        error.appendChild(button(`Line ${e.line}, column ${e.column}`, {
          class: 'link where', 'data-testid': 'preview-error-location',
          on: { click: () => selectPosition(area, e.line, e.column) },
        }));
      }
      error.hidden = false;
      body.hidden = true;
      placeholders.hidden = true;
      idle.hidden = true;
    };

    let seq = 0;
    const preview = () => busy(previewButton, null, async () => {
      const mine = ++seq;
      const source = area.value.trim() ? area.value : DEFAULT_TEMPLATE;
      try {
        const result = await call('POST', 'api/templates/preview', { template: source, eventType: eventType.value });
        if (mine !== seq) {
          return;
        }
        body.textContent = result.body;
        const names = Array.isArray(result.placeholders) ? result.placeholders : [];
        placeholders.textContent = names.length ? `Placeholders: ${names.join(', ')}` : 'No placeholders.';
        body.hidden = false;
        placeholders.hidden = false;
        error.hidden = true;
        idle.hidden = true;
      } catch (e) {
        if (!(e instanceof ApiError) || e.status === 401 || mine !== seq) {
          throw e;
        }
        showError(e);
      }
    });
    previewButton.addEventListener('click', preview);
    eventType.addEventListener('change', () => {
      if (!body.hidden || !error.hidden) {
        preview();
      }
    });

    return {
      node: el('div', { class: 'template' },
        el('div', { class: 'template-editor' },
          el('div', { class: 'toolbar' },
            el('label', { for: area.id }, 'Template'),
            example),
          area,
          el('p', { class: 'hint' },
            'A JSON document. String values may hold ',
            el('code', null, '{{event.id}}'), ', ', el('code', null, '{{event.type}}'), ', ',
            el('code', null, '{{event.timestamp}}'), ', ', el('code', null, '{{event.timestamp_ms}}'), ', ',
            el('code', null, '{{data}}'), ' and ', el('code', null, '{{data.a.b}}'),
            '; a string that is exactly one placeholder keeps the value\u2019s type. Empty: the default envelope.'),
          current.payloadMapper && !current.template
            ? el('p', { class: 'hint', 'data-testid': 'mapper-note' }, 'The application now makes this endpoint\u2019s payload (',
              el('code', null, current.payloadMapper), '). A template replaces that; left empty, it stays.')
            : null),
        el('div', { class: 'template-preview', id: 'preview', 'data-testid': 'preview' },
          el('div', { class: 'toolbar' }, el('span', { class: 'label' }, 'Preview'), eventType, previewButton),
          idle, error, body, placeholders)),
      value() {
        return area.value.trim() ? area.value : null;
      },
      showError,
    };
  }

  /** Selects the character at a 1-based line and column of a textarea. */
  function selectPosition(area, line, column) {
    const lines = area.value.split('\n');
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) {
      offset += lines[i].length + 1;
    }
    offset = Math.min(offset + Math.max(column - 1, 0), area.value.length);
    area.focus();
    area.setSelectionRange(offset, Math.min(offset + 1, area.value.length));
  }

  // ---------------------------------------------------------------- #/endpoints/{id}

  async function detailView(gen, id) {
    const [endpoint, catalogue] = await Promise.all([call('GET', endpointPath(id)), eventTypes()]);
    if (!live(gen)) {
      return;
    }
    const ctx = {
      gen, id, endpoint, catalogue, base: endpointPath(id),
      filters: {}, next: null, expanded: null, detailRow: null, notes: new Map(), logSeq: 0, statsSeq: 0,
    };
    ctx.head = el('div', { class: 'page-head' });
    ctx.settings = el('section', { class: 'card', id: 'settings', 'data-testid': 'settings' });
    renderHead(ctx);
    renderSettings(ctx);

    show(gen, 'Endpoint', el(
      'section',
      { class: 'page', id: 'endpoint-detail', 'data-testid': 'endpoint-detail', 'data-endpoint-id': endpoint.id },
      ctx.head,
      el('div', { class: 'two' },
        ctx.settings,
        el('div', { class: 'stack' }, secretCard(ctx), testCard(ctx))),
      statsCard(ctx),
      logCard(ctx)));
    loadStats(ctx);
    loadLog(ctx, false);
  }

  function renderHead(ctx) {
    const ep = ctx.endpoint;
    const toggle = button(ep.enabled ? 'Disable' : 'Enable', { id: 'toggle-enabled', 'data-testid': 'toggle-enabled' });
    toggle.addEventListener('click', () => busy(toggle, null, async () => {
      ctx.endpoint = await call('POST', `${ctx.base}/${ep.enabled ? 'disable' : 'enable'}`);
      if (live(ctx.gen)) {
        say(ctx.endpoint.enabled ? 'Endpoint enabled.' : 'Endpoint disabled: nothing is sent to it, and new events skip it.', 'success');
        renderHead(ctx);
        renderSettings(ctx);
      }
    }));
    const remove = button('Delete', { class: 'danger', id: 'delete-endpoint', 'data-testid': 'delete-endpoint' });
    remove.addEventListener('click', () => busy(remove, null, async () => {
      if (!(await confirmAction('Delete this endpoint? Its pending deliveries are dropped. This cannot be undone.', 'Delete'))) {
        return;
      }
      await call('DELETE', ctx.base);
      flash = 'Endpoint deleted.';
      location.hash = '#/';
    }));
    replace(
      ctx.head,
      el('div', { class: 'grow' },
        el('p', { class: 'crumbs' }, el('a', { href: '#/' }, 'Endpoints')),
        el('h1', { class: 'url', id: 'endpoint-url', 'data-testid': 'endpoint-url' }, ep.url),
        el('p', { class: 'subtitle' },
          el('span', { class: 'method' }, ep.method), ' ',
          enabledBadge(ep),
          ep.enabled || !ep.disabledReason
            ? null
            : el('span', { class: 'muted', id: 'disabled-reason', 'data-testid': 'disabled-reason' }, ' ', ep.disabledReason))),
      el('div', { class: 'actions' },
        el('a', { href: `${endpointHash(ep.id)}/edit`, class: 'button', id: 'edit-endpoint', 'data-testid': 'edit-endpoint' }, 'Edit'),
        toggle,
        remove));
  }

  function renderSettings(ctx) {
    const ep = ctx.endpoint;
    const headerNames = Object.keys(ep.headers || {});
    const row = (term, testid, ...value) => [el('dt', null, term), el('dd', { 'data-testid': testid }, value)];
    replace(
      ctx.settings,
      el('h2', null, 'Settings'),
      el('dl', { class: 'summary' },
        row('Description', 'settings-description', ep.description || el('span', { class: 'muted' }, 'None')),
        row('Event types', 'settings-event-types', eventTypeChips(ep.eventTypes)),
        row('Headers', 'settings-headers', headerNames.length === 0
          ? el('span', { class: 'muted' }, 'None')
          : el('ul', { class: 'plain' }, headerNames.map((name) => el('li', null,
            el('code', null, name), ': ', el('span', { class: 'header-value' }, ep.headers[name]))))),
        row('Authentication', 'settings-auth', describeAuth(ep.authentication)),
        row('Signature', 'settings-signature', ep.signed ? (ep.scheme || 'signed') : 'unsigned'),
        row('Payload', 'settings-template', ep.template
          ? el('pre', { class: 'code small' }, ep.template)
          : ep.payloadMapper
            ? ['Made by the application (', el('code', null, ep.payloadMapper), ')']
            : el('span', { class: 'muted' }, 'Default envelope'))));
  }

  function secretCard(ctx) {
    const DOTS = '\u2022'.repeat(24);
    const value = el('code', { class: 'secret', id: 'secret-value', 'data-testid': 'secret-value' }, DOTS);
    const out = el('p', { class: 'result', id: 'secret-result', 'data-testid': 'secret-result', 'aria-live': 'polite' });
    const reveal = button('Reveal', { id: 'reveal-secret', 'data-testid': 'reveal-secret', class: 'small' });
    const rotate = button('Rotate', { id: 'rotate-secret', 'data-testid': 'rotate-secret', class: 'small' });
    let shown = false;
    reveal.addEventListener('click', () => busy(reveal, out, async () => {
      if (shown) {
        value.textContent = DOTS;
        reveal.textContent = 'Reveal';
        shown = false;
        return;
      }
      const { secret } = await call('POST', `${ctx.base}/secret`);
      value.textContent = secret;
      reveal.textContent = 'Hide';
      shown = true;
    }));
    rotate.addEventListener('click', () => busy(rotate, out, async () => {
      if (!(await confirmAction(
        'Rotate the signing secret? The current one keeps being accepted for 24 hours while receivers switch.', 'Rotate'))) {
        return;
      }
      const { secret } = await call('POST', `${ctx.base}/secret/rotate`, { graceSeconds: ROTATION_GRACE_SECONDS });
      value.textContent = secret;
      reveal.textContent = 'Hide';
      shown = true;
      out.className = 'result result-ok';
      replace(out, 'New secret in use. Deliveries are signed with both secrets for the next 24 hours.');
    }));
    const card = el('section', { class: 'card', id: 'signing', 'data-testid': 'signing' }, el('h2', null, 'Signing secret'));
    if (!ctx.endpoint.signed) {
      return add(card, el('p', { class: 'muted' }, 'Deliveries to this endpoint are not signed.'));
    }
    return add(card,
      el('div', { class: 'secret-row' }, value, reveal, rotate),
      out);
  }

  function testCard(ctx) {
    const names = ctx.catalogue.map((t) => t.name);
    const preferred = names.find((n) => subscribes(ctx.endpoint.eventTypes, n));
    const select = options(
      el('select', { id: 'test-event-type', 'data-testid': 'test-event-type', 'aria-label': 'Event type' }),
      names, preferred || names[0]);
    const send = button('Send test event', { id: 'send-test', 'data-testid': 'send-test', class: 'primary small' });
    const out = el('p', { class: 'result', id: 'test-result', 'data-testid': 'test-result', 'aria-live': 'polite' });
    send.addEventListener('click', () => busy(send, out, async () => {
      out.className = 'result';
      replace(out, 'Sending…');
      const receipt = await call('POST', `${ctx.base}/test`, { eventType: select.value });
      if (!live(ctx.gen)) {
        return;
      }
      out.setAttribute('data-delivery-id', receipt.deliveryId);
      replace(out, 'Queued; waiting for the first attempt…');
      loadLog(ctx, false);
      watch(ctx, receipt.deliveryId, (detail) => {
        const d = detail.delivery;
        const last = detail.attempts.length ? detail.attempts[detail.attempts.length - 1] : null;
        out.setAttribute('data-state', d.state);
        if (!last) {
          replace(out, 'Queued; waiting for the first attempt…');
          return false;
        }
        out.className = `result ${d.state === 'SUCCEEDED' ? 'result-ok' : d.state === 'DEAD' ? 'result-error' : 'result-warn'}`;
        const what = `Attempt ${last.attemptNumber}: ${last.status ? `HTTP ${last.status}` : last.outcome} in ${last.latencyMs} ms`;
        if (d.state === 'SUCCEEDED') {
          replace(out, `Delivered. ${what}.`);
        } else if (d.state === 'DEAD') {
          replace(out, `Failed for good. ${what}.`);
        } else {
          replace(out, `${what}; next attempt ${formatTime(d.nextAttemptAt)}.`);
        }
        return d.state !== 'PENDING';
      }, () => add(out, ' Still pending; see the log below.'));
    }));
    return el('section', { class: 'card', id: 'test', 'data-testid': 'test' },
      el('h2', null, 'Send test event'),
      el('p', { class: 'hint' }, 'Sends the example of an event type, as a real delivery.'),
      el('div', { class: 'inline' }, select, send),
      out);
  }

  /**
   * Polls a delivery every second for up to 30 s, refreshing the log and the statistics, until
   * onUpdate (given the delivery and its attempts) answers true.
   */
  function watch(ctx, deliveryId, onUpdate, onTimeout) {
    const until = Date.now() + POLL_FOR_MS;
    const tick = async () => {
      let done = false;
      try {
        const detail = await call('GET', `${ctx.base}/deliveries/${encodeURIComponent(deliveryId)}`);
        if (!live(ctx.gen)) {
          return;
        }
        done = onUpdate(detail);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          showError(ctx.gen, e);
          return;
        }
        // Otherwise a passing failure: the next tick tries again.
      }
      await loadLog(ctx, false);
      loadStats(ctx);
      if (done) {
        return;
      }
      if (Date.now() < until) {
        later(ctx.gen, tick, POLL_EVERY_MS);
      } else if (onTimeout) {
        onTimeout();
      }
    };
    later(ctx.gen, tick, POLL_EVERY_MS);
  }

  // ---------------------------------------------------------------- statistics

  function statsCard(ctx) {
    const metric = (id, label) => {
      const value = el('span', { class: 'metric-value', id, 'data-testid': id }, '—');
      return [el('div', { class: 'metric' }, el('span', { class: 'metric-label' }, label), value), value];
    };
    const [rateTile, rate] = metric('stat-success-rate', 'Success rate');
    const [p50Tile, p50] = metric('stat-p50', 'Latency p50');
    const [p99Tile, p99] = metric('stat-p99', 'Latency p99');
    const [volumeTile, volume] = metric('stat-volume', 'Attempts');
    ctx.stats = { rate, p50, p99, volume };
    ctx.chart = el('div', { class: 'chart', id: 'stats-chart-box' });
    ctx.chartSummary = el('p', { class: 'hint', id: 'chart-summary', 'data-testid': 'chart-summary' });
    return el('section', { class: 'card', id: 'stats', 'data-testid': 'stats' },
      el('div', { class: 'card-head' },
        el('h2', null, 'Last 24 hours'),
        el('span', { class: 'legend' },
          el('span', { class: 'swatch swatch-succeeded' }), 'Succeeded',
          el('span', { class: 'swatch swatch-failed' }), 'Failed')),
      el('div', { class: 'metrics' }, rateTile, p50Tile, p99Tile, volumeTile),
      ctx.chart,
      ctx.chartSummary);
  }

  async function loadStats(ctx) {
    const seq = ++ctx.statsSeq;
    let stats;
    try {
      stats = await call('GET', `${ctx.base}/stats`);
    } catch (e) {
      if (live(ctx.gen) && seq === ctx.statsSeq) {
        ctx.chartSummary.textContent = `Statistics unavailable: ${e.message}`;
      }
      return;
    }
    if (!live(ctx.gen) || seq !== ctx.statsSeq) {
      return;
    }
    ctx.stats.rate.textContent = percent(stats.successRate);
    ctx.stats.p50.textContent = ms(stats.latencyP50Ms);
    ctx.stats.p99.textContent = ms(stats.latencyP99Ms);
    ctx.stats.volume.textContent = String(stats.attempts);
    const hours = Array.isArray(stats.hours) ? stats.hours : [];
    replace(ctx.chart, chart(hours));
    let summary = `Last 24 hours: ${stats.attempts} attempts, ${stats.succeeded} succeeded, ${stats.failed} failed.`;
    const busiest = hours.reduce((best, h) => (h.succeeded + h.failed > (best ? best.succeeded + best.failed : 0) ? h : best), null);
    if (busiest) {
      summary += ` Busiest hour: ${hourLabel(busiest.start)} with ${busiest.succeeded + busiest.failed}.`;
    }
    if (stats.truncated) {
      summary += ' (Counted from the first 10,000 attempts of the 24 hours only.)';
    }
    ctx.chartSummary.textContent = summary;
  }

  /** A stacked bar per hour (succeeded below, failed on top), drawn with SVG elements. */
  function chart(hours) {
    const BAR = 44;
    const GAP = 8;
    const TOP = 6;
    const HEIGHT = 120;
    const AXIS = 20;
    const width = Math.max(hours.length, 1) * BAR;
    const max = Math.max(1, ...hours.map((h) => h.succeeded + h.failed));
    const root = svg('svg', {
      id: 'stats-chart', 'data-testid': 'stats-chart', class: 'bars', role: 'img',
      viewBox: `0 0 ${width} ${TOP + HEIGHT + AXIS}`, 'aria-labelledby': 'chart-summary',
    });
    root.appendChild(svg('line', { class: 'axis', x1: 0, x2: width, y1: TOP + HEIGHT + 0.5, y2: TOP + HEIGHT + 0.5 }));
    hours.forEach((h, i) => {
      const x = i * BAR + GAP / 2;
      const ok = (h.succeeded / max) * HEIGHT;
      const failed = (h.failed / max) * HEIGHT;
      const group = svg('g', { class: 'hour', 'data-testid': 'chart-hour', 'data-succeeded': h.succeeded, 'data-failed': h.failed },
        svg('title', null, `${hourLabel(h.start)}: ${h.succeeded} succeeded, ${h.failed} failed`),
        svg('rect', { class: 'slot', x, y: TOP, width: BAR - GAP, height: HEIGHT }),
        svg('rect', { class: 'bar-succeeded', x, y: TOP + HEIGHT - ok, width: BAR - GAP, height: ok }),
        svg('rect', { class: 'bar-failed', x, y: TOP + HEIGHT - ok - failed, width: BAR - GAP, height: failed }));
      root.appendChild(group);
      if (i % 6 === 0) {
        root.appendChild(svg('text', { class: 'tick', x: x, y: TOP + HEIGHT + 15 }, hourLabel(h.start)));
      }
    });
    return root;
  }

  // ---------------------------------------------------------------- delivery log

  function logCard(ctx) {
    const state = options(
      el('select', { id: 'filter-state', 'data-testid': 'filter-state' }),
      [{ value: '', label: 'Any state' }].concat(STATES.map((s) => ({ value: s, label: s }))), '');
    const type = options(
      el('select', { id: 'filter-event-type', 'data-testid': 'filter-event-type' }),
      [{ value: '', label: 'Any event type' }].concat(ctx.catalogue.map((t) => ({ value: t.name, label: t.name }))), '');
    const since = el('input', { type: 'datetime-local', id: 'filter-since', 'data-testid': 'filter-since' });
    const before = el('input', { type: 'datetime-local', id: 'filter-before', 'data-testid': 'filter-before' });
    const apply = el('button', { type: 'submit', id: 'filter-apply', 'data-testid': 'filter-apply', class: 'small' }, 'Apply');
    const filters = el('form', { class: 'filters', id: 'log-filters', 'data-testid': 'log-filters' },
      field('State', state), field('Event type', type), field('Since', since), field('Before', before),
      el('div', { class: 'field' }, apply));
    filters.addEventListener('submit', (event) => {
      event.preventDefault();
      ctx.filters = {
        state: state.value,
        eventType: type.value,
        since: localToIso(since.value),
        before: localToIso(before.value),
      };
      ctx.expanded = null;
      busy(apply, ctx.logMessage, () => loadLog(ctx, false, true));
    });

    ctx.logMessage = el('p', { class: 'result', id: 'log-message', 'data-testid': 'log-message', 'aria-live': 'polite' });
    ctx.tbody = el('tbody', { id: 'deliveries' });
    ctx.loadMore = button('Load more', { id: 'load-more', 'data-testid': 'load-more', class: 'small', hidden: true });
    ctx.loadMore.addEventListener('click', () => busy(ctx.loadMore, ctx.logMessage, () => loadLog(ctx, true, true)));

    const recoverSince = el('input', {
      type: 'datetime-local', id: 'recover-since', 'data-testid': 'recover-since',
      value: toLocalInput(new Date(Date.now() - 24 * 3600 * 1000)),
    });
    const recover = button('Recover failed', { id: 'recover', 'data-testid': 'recover', class: 'small' });
    const recovered = el('span', { class: 'result', id: 'recover-result', 'data-testid': 'recover-result', 'aria-live': 'polite' });
    recover.addEventListener('click', () => busy(recover, recovered, async () => {
      const sinceIso = localToIso(recoverSince.value);
      if (!sinceIso) {
        throw new Error('Choose a start time.');
      }
      const { replayed } = await call('POST', `${ctx.base}/recover`, { since: sinceIso });
      recovered.className = 'result result-ok';
      recovered.setAttribute('data-replayed', String(replayed));
      replace(recovered, replayed === 1
        ? 'Replaying 1 failed delivery.'
        : `Replaying ${replayed} failed deliveries.`);
      await loadLog(ctx, false);
    }));

    return el('section', { class: 'card', id: 'log', 'data-testid': 'log' },
      el('div', { class: 'card-head' },
        el('h2', null, 'Delivery log'),
        el('div', { class: 'recover' },
          el('label', { for: recoverSince.id }, 'Recover failed since'), recoverSince, recover, recovered)),
      filters,
      ctx.logMessage,
      el('div', { class: 'table-wrap' },
        el('table', { class: 'table log', id: 'deliveries-table', 'data-testid': 'deliveries-table' },
          el('thead', null, el('tr', null,
            el('th', { scope: 'col' }, 'Time'),
            el('th', { scope: 'col' }, 'Event type'),
            el('th', { scope: 'col' }, 'State'),
            el('th', { scope: 'col', class: 'num' }, 'Attempts'),
            el('th', { scope: 'col', class: 'num' }, 'Last status'),
            el('th', { scope: 'col', class: 'num' }, 'Latency'))),
          ctx.tbody)),
      el('div', { class: 'more' }, ctx.loadMore));
  }

  /** Loads the first page of the log (or the next one, appended); errors reach the caller when `report`. */
  async function loadLog(ctx, append, report) {
    const seq = ++ctx.logSeq;
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(ctx.filters)) {
      if (v) {
        query.set(k, v);
      }
    }
    if (append && ctx.next) {
      query.set('before', ctx.next);
    }
    query.set('limit', String(PAGE_SIZE));
    let page;
    try {
      page = await call('GET', `${ctx.base}/deliveries?${query}`);
    } catch (e) {
      if (report || (e instanceof ApiError && e.status === 401)) {
        throw e;
      }
      return;
    }
    if (!live(ctx.gen) || seq !== ctx.logSeq) {
      return;
    }
    ctx.logMessage.textContent = '';
    ctx.logMessage.className = 'result';
    ctx.next = page.next || null;
    if (!append) {
      ctx.tbody.replaceChildren();
    }
    for (const d of page.deliveries) {
      ctx.tbody.appendChild(deliveryRow(ctx, d));
    }
    if (!ctx.tbody.querySelector('tr')) {
      ctx.tbody.appendChild(el('tr', { class: 'empty', 'data-testid': 'no-deliveries' },
        el('td', { colspan: 6 }, 'No deliveries match.')));
    }
    ctx.loadMore.hidden = !ctx.next;
    if (!append && ctx.expanded) {
      const row = rowOf(ctx, ctx.expanded);
      if (row) {
        expand(ctx, row, ctx.expanded);
      }
    }
  }

  function rowOf(ctx, deliveryId) {
    return Array.from(ctx.tbody.querySelectorAll('tr[data-testid="delivery-row"]'))
      .find((r) => r.getAttribute('data-delivery-id') === deliveryId) || null;
  }

  function deliveryRow(ctx, d) {
    const last = d.lastAttempt;
    const row = el(
      'tr',
      {
        class: 'delivery', tabindex: 0, 'data-testid': 'delivery-row', 'data-delivery-id': d.id,
        'data-state': d.state, 'aria-expanded': 'false',
      },
      el('td', { class: 'col-time' }, timeElement(d.createdAt)),
      el('td', { class: 'col-type' }, el('code', null, d.eventType)),
      el('td', { class: 'col-state' }, stateBadge(d.state)),
      el('td', { class: 'num', 'data-testid': 'delivery-attempts' }, String(d.attempts)),
      el('td', { class: `num status ${last && last.status >= 200 && last.status < 300 ? 'ok' : last ? 'bad' : ''}`, 'data-testid': 'delivery-status' },
        statusText(last)),
      el('td', { class: 'num', 'data-testid': 'delivery-latency' }, last ? ms(last.latencyMs) : '—'));
    const toggle = () => {
      if (ctx.expanded === d.id) {
        collapse(ctx);
      } else {
        ctx.expanded = d.id;
        expand(ctx, row, d.id);
      }
    };
    row.addEventListener('click', toggle);
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        toggle();
      }
    });
    return row;
  }

  function collapse(ctx) {
    ctx.expanded = null;
    ctx.detailRow = null;
    ctx.tbody.querySelectorAll('tr.detail-row').forEach((r) => r.remove());
    ctx.tbody.querySelectorAll('tr.delivery').forEach((r) => {
      r.setAttribute('aria-expanded', 'false');
      r.classList.remove('open');
    });
  }

  async function expand(ctx, row, deliveryId) {
    ctx.tbody.querySelectorAll('tr.delivery').forEach((r) => {
      const open = r === row;
      r.setAttribute('aria-expanded', String(open));
      r.classList.toggle('open', open);
    });
    // A refresh of the log keeps the open detail (with what it showed) until the new one is in.
    let holder = ctx.detailRow;
    if (!holder || holder.getAttribute('data-delivery-id') !== deliveryId) {
      ctx.tbody.querySelectorAll('tr.detail-row').forEach((r) => r.remove());
      holder = el('tr', { class: 'detail-row', 'data-testid': 'delivery-detail', 'data-delivery-id': deliveryId },
        el('td', { colspan: 6 }, el('p', { class: 'muted' }, 'Loading attempts…')));
      ctx.detailRow = holder;
    }
    row.after(holder);
    let detail;
    try {
      detail = await call('GET', `${ctx.base}/deliveries/${encodeURIComponent(deliveryId)}`);
    } catch (e) {
      if (live(ctx.gen) && holder.isConnected) {
        replace(holder.firstChild, el('p', { class: 'result result-error' }, e.message));
      }
      return;
    }
    if (!live(ctx.gen) || !holder.isConnected || ctx.expanded !== deliveryId) {
      return;
    }
    replace(holder.firstChild, deliveryDetail(ctx, detail));
  }

  function deliveryDetail(ctx, detail) {
    const d = detail.delivery;
    // What a replay answered outlives the redraws of the detail that follow it.
    const note = ctx.notes.get(d.id);
    const out = el('span', { class: `result ${note ? note.kind : ''}`, 'data-testid': 'replay-result', 'aria-live': 'polite' },
      note ? note.text : null);
    let replay = null;
    if (d.state === 'DEAD') {
      replay = button('Replay', { class: 'small primary', 'data-testid': 'replay' });
      replay.addEventListener('click', (event) => {
        event.stopPropagation();
        busy(replay, out, async () => {
          const { replayed } = await call('POST', `${ctx.base}/deliveries/${encodeURIComponent(d.id)}/replay`);
          const said = replayed
            ? { kind: 'result-ok', text: 'Replay scheduled.' }
            : { kind: 'result-warn', text: 'Nothing to replay: the delivery is no longer dead.' };
          ctx.notes.set(d.id, said);
          out.className = `result ${said.kind}`;
          replace(out, said.text);
          await loadLog(ctx, false);
          if (replayed) {
            watch(ctx, d.id, (next) => next.delivery.state !== 'PENDING');
          }
        });
      });
    }
    // A replay starts the count again: mark where, so two "#1" read as what they are.
    const attempts = detail.attempts.map((a, i) => [
      i > 0 && a.attemptNumber <= detail.attempts[i - 1].attemptNumber
        ? el('li', { class: 'replay-mark', 'data-testid': 'replay-mark' }, 'Replayed')
        : null,
      el(
      'li',
      { class: 'attempt', 'data-testid': 'attempt', 'data-attempt-number': a.attemptNumber },
      el('div', { class: 'attempt-head' },
        el('span', { class: 'attempt-number' }, `#${a.attemptNumber}`),
        timeElement(a.startedAt),
        el('span', { class: `badge ${a.outcome === 'SUCCEEDED' ? 'state-succeeded' : 'state-dead'}`, 'data-testid': 'attempt-outcome' }, a.outcome),
        el('span', { class: 'attempt-status', 'data-testid': 'attempt-status' }, a.status ? `HTTP ${a.status}` : 'no response'),
        el('span', { class: 'muted', 'data-testid': 'attempt-latency' }, ms(a.latencyMs))),
      a.error ? el('p', { class: 'attempt-error', 'data-testid': 'attempt-error' }, a.error) : null,
      a.responseSnippet
        ? el('pre', { class: 'code snippet', 'data-testid': 'response-snippet' }, a.responseSnippet)
        : el('p', { class: 'muted small' }, 'Empty response body.'))]);
    return el('div', { class: 'delivery-detail' },
      el('div', { class: 'detail-head' },
        el('span', null, 'Delivery ', el('code', null, d.id), ' of event ', el('code', null, d.eventId)),
        d.state === 'PENDING' && d.nextAttemptAt ? el('span', { class: 'muted' }, `Next attempt ${formatTime(d.nextAttemptAt)}`) : null,
        replay, out),
      attempts.length
        ? el('ol', { class: 'attempts', 'data-testid': 'attempts' }, attempts)
        : el('p', { class: 'muted' }, 'No attempts yet.'));
  }

  // ---------------------------------------------------------------- start

  wireDialog();
  window.addEventListener('hashchange', route);
  route();
})();
