// /compare?a=…&b=…: two runs of one kind and ONE player. Each run's events are followed (a finished run replays at
// once, a running one streams on); the kind's view (compare-views.js) says which events are steps and draws a side
// at one of its steps. Player step i shows each run at its own step min(i, its last): a run with fewer steps holds
// its last frame. Each side carries data-step (the step it shows), data-steps (how many it has) and data-held (true
// while it holds its last).
(function () {
  const root = document.getElementById('compare');
  const kind = root.dataset.kind;
  const make = window.CompareViews[kind] || window.CompareViews.unknown;
  const sides = ['a', 'b'].map(function (name) {
    const el = document.getElementById('compare-' + name);
    return {
      name: name.toUpperCase(), id: root.dataset[name], params: JSON.parse(root.dataset[name + 'Params']),
      el: el, view: el.querySelector('.compare-view'), status: el.querySelector('.compare-status'),
      steps: [], extras: {}, end: null
    };
  });
  const view = make(sides, document.getElementById('compare-shared'));
  const unit = view.unit || 'step';
  function count(n) { return n + ' ' + unit + (n === 1 ? '' : 's'); }

  // one player step per step of the longer run: pushed when either run's count grows past the player's
  const player = RunPlayer(document.getElementById('compare-player'), {
    pace: view.pace || 150,
    render: render,
    label: function (steps, i) {
      return unit + ' ' + (i + 1) + ' of ' + steps.length + ' · ' + sides.map(function (s) {
        const j = Math.min(i, s.steps.length - 1);
        if (j < 0) return s.name + ': no step yet';
        return s.name + ': ' + view.label(s, j) + (j < i ? ' (its last)' : '');
      }).join(' · ');
    }
  });

  function render(steps, i) {
    sides.forEach(function (s) {
      const j = Math.min(i, s.steps.length - 1);
      if (j >= 0) view.render(s, j);
      s.el.dataset.step = String(j);
      s.el.dataset.held = String(j < i);
    });
    if (view.renderShared) view.renderShared(i);
  }

  function grew() {
    const longest = Math.max(sides[0].steps.length, sides[1].steps.length);
    while (player.steps().length < longest) player.push({ index: player.steps().length });
  }

  function ended(s, type, data) {
    s.end = { type: type, data: data };
    s.el.dataset.end = type;
    s.status.textContent = (type === 'done' ? 'Done: ' : type === 'cancelled' ? 'Cancelled: ' : 'Ended with an error: ')
      + count(s.steps.length)
      + (type === 'error' && data && (data.message || data.reason) ? ' · ' + (data.message || data.reason) : '') + '.';
    if (view.ended) view.ended(s);
    if (sides.every(function (x) { return x.end; })) {
      player.finish();
      root.dataset.done = 'true';
    }
    // the step shown may be the last one of this run: draw it again with its ending (a final image, a verdict)
    const i = player.shown();
    if (i >= 0) render(player.steps(), i);
  }

  sides.forEach(function (s) {
    s.status.textContent = 'Reading its events…';
    const source = RunStream.follow('/api/runs/' + encodeURIComponent(s.id) + '/events', {
      types: view.types,
      onEvent: function (type, data) {
        if (view.isStep(type)) {
          s.steps.push(data);
          s.el.dataset.steps = String(s.steps.length);
          if (!s.end) s.status.textContent = count(s.steps.length) + ' so far…';
          grew();
        } else {
          view.extra(s, type, data);
        }
      },
      onEnd: function (type, data) { ended(s, type, data); }
    });
    // refused outright (removed since the page was made): EventSource gives up without an event to say why
    source.addEventListener('error', function () {
      if (source.readyState === EventSource.CLOSED && !s.end) {
        s.status.textContent = 'Its events could not be read (the run may have expired meanwhile): reload the page.';
      }
    });
  });
})();
