// Starts a run (POST /api/runs) and follows its server-sent events until done, error or cancelled.
// One way for every chapter: RunStream.start(kind, params, { onEvent(type, data), onEnd(type, data),
// onBusy(seconds, problem) }): a 429's Retry-After, and its problem+json whose `reason` tells the caller's own
// limit ("rate-limit", "own-runs") from a full server ("server-busy").
// Runs that only make sense together (a race) start with RunStream.startAll([{kind, params}, …], [handlers, …],
// onRefused(seconds, message)): POST /api/runs/batch admits all of them or none.
// Event types listed in `raw` reach onEvent as their JSON text, unparsed: a page that stores thousands of big
// events (a GPT's attention) parses only the ones it shows.
(function () {
  const TERMINAL = ['done', 'error', 'cancelled'];

  async function start(kind, params, handlers) {
    const response = await fetch('/api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ kind: kind, params: params })
    });
    if (response.status === 429) {
      const problem = await response.json().catch(function () { return {}; });
      handlers.onBusy && handlers.onBusy(Number(response.headers.get('Retry-After') || 1), problem);
      return null;
    }
    const body = await response.json();
    if (!response.ok) {
      handlers.onEnd && handlers.onEnd('error', { message: body.detail || response.statusText });
      return null;
    }
    follow(body.links.events, handlers);
    return body;
  }

  async function startAll(runs, handlers, onRefused) {
    const response = await fetch('/api/runs/batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ runs: runs })
    });
    const body = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      const retry = response.status === 429 ? Number(response.headers.get('Retry-After') || 1) : 0;
      onRefused(retry, (body.field ? body.field + ': ' : '') + (body.detail || response.statusText));
      return null;
    }
    body.runs.forEach(function (run, i) { follow(run.links.events, handlers[i]); });
    return body.runs;
  }

  function follow(url, handlers) {
    const source = new EventSource(url);
    const raw = handlers.raw || [];
    // EventSource reconnects by itself (sending Last-Event-ID); a finished run must not be reopened.
    const listen = function (type) {
      source.addEventListener(type, function (e) {
        const data = raw.includes(type) ? e.data : JSON.parse(e.data);
        if (TERMINAL.includes(type)) {
          source.close();
          handlers.onEnd && handlers.onEnd(type, data);
          // lets other parts of the page (the history panel) know, through htmx's event triggers
          document.body.dispatchEvent(new CustomEvent('run-finished', { detail: { type: type } }));
        } else {
          handlers.onEvent && handlers.onEvent(type, data);
        }
      });
    };
    (handlers.types || []).concat(TERMINAL).forEach(listen);
    return source;
  }

  window.RunStream = { start: start, startAll: startAll, follow: follow };
})();
