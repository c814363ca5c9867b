// /learning, top half: a `train` run streams `metric` and `weights` events; the race starts two runs (GD, SGD).
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const page = $('learning');
  const trainingSize = Number(page.dataset.trainingSize);
  let current = null;        // the run being watched: {id, source}

  // ---- the form ----

  function params(overrides) {
    const p = {
      hidden: $('hidden').value.split(',').map(function (s) { return Number(s.trim()); }),
      activation: $('activation').value,
      learningRate: Number($('learning-rate').value),
      batchSize: Number($('batch-size').value),
      steps: Number($('steps').value),
      seed: Number($('seed').value)
    };
    return Object.assign(p, overrides || {});
  }

  // ---- cost curve: C and validation accuracy against steps ----

  function chart(el, series, xLabel, xLog) {
    return new uPlot({
      width: Math.max(280, el.clientWidth || 520), height: 240,
      scales: { x: xLog ? { time: false, distr: 3 } : { time: false }, acc: { range: [0, 1] } },
      series: [{ label: xLabel }].concat(series),
      axes: [{ label: xLabel }, { label: 'cost C' }].concat(series.some(function (s) { return s.scale === 'acc'; })
        ? [{ scale: 'acc', side: 1, grid: { show: false }, label: 'accuracy' }] : [])
    }, [[]].concat(series.map(function () { return []; })), el);
  }

  const costChart = chart($('cost-chart'), [
    { label: 'C (1,000 training digits)', stroke: '#2f6fdf', width: 2 },
    { label: 'mini-batch C', stroke: '#b7c4dd', width: 1 },
    { label: 'validation accuracy', stroke: '#1c8a55', scale: 'acc', width: 2 }
  ], 'step', false);
  let curve = [[], [], [], []];

  function onMetric(m) {
    curve[0].push(m.step); curve[1].push(m.cost); curve[2].push(m.batchCost); curve[3].push(m.accuracy);
    costChart.setData(curve);
    $('cost-chart').dataset.points = String(curve[0].length);
    $('train-readout').textContent = 'step ' + m.step + ' · ' + m.examples.toLocaleString() + ' digits seen · C = '
      + m.cost.toFixed(4) + ' · ' + (m.accuracy * 100).toFixed(1) + ' % right on held-out digits · '
      + m.seconds.toFixed(2) + ' s computing';
  }

  function onWeights(w) {
    const box = $('weight-pictures');
    w.values.forEach(function (values, j) {
      let c = box.children[j];
      if (!c) {
        c = document.createElement('canvas');
        c.title = 'neuron ' + j + ' of ' + w.neurons;
        box.appendChild(c);
      }
      Heat.draw(c, values.map(function (v) { return v / 127; }), 28, 28, Heat.diverging);
    });
    box.dataset.step = String(w.step);
  }

  function watch(run) {
    curve = [[], [], [], []];
    costChart.setData(curve);
    $('weight-pictures').innerHTML = '';
    $('stop').disabled = false;
    $('start').disabled = true;
    current = run;
    $('train-status').innerHTML = 'Run <a href="' + run.links.self + '">' + run.id + '</a> · share: <a href="'
      + run.links.share + '">' + run.links.share + '</a>';
    document.dispatchEvent(new CustomEvent('learning:network', { detail: { id: run.id, params: run.params } }));
  }

  function ended(type, data) {
    $('stop').disabled = true;
    $('start').disabled = false;
    const note = type === 'done' ? 'Done.' : type + ': ' + (data.message || data.reason || '');
    $('train-status').append(' · ' + note);
    page.dataset.trained = current ? current.id : '';
    if (current) document.dispatchEvent(new CustomEvent('learning:trained', { detail: { id: current.id } }));
  }

  const handlers = {
    types: ['metric', 'weights'],
    onEvent: function (type, data) { if (type === 'metric') onMetric(data); else onWeights(data); },
    onEnd: ended,
    onBusy: function (s) { $('train-status').textContent = 'Every training slot is taken; try again in ' + s + ' s.'; }
  };

  $('train-form').addEventListener('submit', function (e) {
    e.preventDefault();
    RunStream.start('train', params(), handlers).then(function (run) { if (run) watch(run); })
      .catch(function (err) { $('train-status').textContent = 'Could not start: ' + err.message; });
  });

  $('stop').addEventListener('click', function () {
    if (current) fetch('/api/runs/' + current.id, { method: 'DELETE' });
  });

  // /learning?run=ID replays a recorded run (or joins it while it trains)
  const shared = new URLSearchParams(location.search).get('run');
  if (shared) {
    fetch('/api/runs/' + encodeURIComponent(shared)).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (run) {
        if (!run || run.kind !== 'train') return;
        watch(run);
        RunStream.follow(run.links.events, handlers);
      });
  }

  // ---- the race: GD (m = every digit) against SGD (m from the form), same seed, same η ----

  const raceSeries = [{ label: 'gradient descent', stroke: '#d0542c', width: 2, spanGaps: true },
    { label: 'SGD', stroke: '#2f6fdf', width: 2, spanGaps: true }];
  // examples on a log axis: GD sees every digit each step, so linear axes squash SGD into the corner
  const raceExamples = chart($('race-examples'), raceSeries, 'examples seen (log)', true);
  const raceSeconds = chart($('race-seconds'), raceSeries, 'seconds', false);
  let race = null;

  function redrawRace() {
    ['examples', 'seconds'].forEach(function (x) {
      // log axis: leave out step 0 (0 examples) on the examples chart
      const from = x === 'examples' ? 1 : 0;
      const tables = race.map(function (r) { return [r[x].slice(from), r.cost.slice(from)]; });
      const joined = uPlot.join(tables);
      (x === 'examples' ? raceExamples : raceSeconds).setData(joined);
      $('race-' + x).dataset.points = String(race[0].cost.length + race[1].cost.length);
    });
  }

  $('race').addEventListener('click', function () {
    race = [{ examples: [], seconds: [], cost: [] }, { examples: [], seconds: [], cost: [] }];
    const runs = [params({ batchSize: trainingSize, steps: Number($('race-gd-steps').value) }),
      params({ steps: Number($('race-sgd-steps').value) })];
    $('race-status').textContent = 'GD: m = ' + trainingSize + ', SGD: m = ' + runs[1].batchSize + '.';
    runs.forEach(function (p, i) {
      RunStream.start('train', p, {
        types: ['metric'],
        onEvent: function (type, m) {
          // uPlot.join needs strictly increasing x; skip a repeated point
          const r = race[i];
          if (r.examples.length && m.examples <= r.examples[r.examples.length - 1]) return;
          r.examples.push(m.examples); r.seconds.push(m.seconds); r.cost.push(m.cost);
          redrawRace();
        },
        onEnd: function (type) { $('race-status').append(' ' + (i ? 'SGD' : 'GD') + ' ' + type + '.'); },
        onBusy: function (s) { $('race-status').append(' Busy: try again in ' + s + ' s.'); }
      });
    });
  });
})();
