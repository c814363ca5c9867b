// /diffusion: the reverse process as a `diffuse` run shown step by step through the run player. The form
// decides what is asked (a digit, a prompt or nothing) and says, as the learner types, which words CLIP
// reads. With the helpers here (window.Diffusion), diffusion-forward.js shows the forward process and
// diffusion-batch.js the guidance grid, pixel vs latent and CLIP's matrix, with the same form's settings.
(function () {
  const $ = function (id) { return document.getElementById(id); };
  const root = $('diffusion');
  const sampleIndices = (root.dataset.sampleIndices || '').split(',').map(Number);
  const clipWords = Number($('diffuse-reading').dataset.clipWords) || 11;

  // ---- drawing helpers ----
  // a square image of values in 0..1 (28×28 pixels, or a latent's noise laid out as 14×14)
  function drawImage(canvas, values) {
    const side = Math.round(Math.sqrt(values.length));
    Heat.draw(canvas, values, side, side, Heat.gray);
    canvas.classList.remove('blank');
  }

  function blank(canvas) {
    canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
    canvas.classList.add('blank');
  }

  function thumbnail(values, title) {
    const c = document.createElement('canvas');
    c.className = 'frame';
    if (title) c.title = title;
    drawImage(c, values);
    return c;
  }

  const postJson = window.Api.postJson;

  function span(className, text) {
    const s = document.createElement('span');
    if (className) s.className = className;
    s.textContent = text;
    return s;
  }

  // Which words CLIP read of a text ({read, unknown, dropped}, from the server's vocabulary), into `into`.
  function showReading(into, reading) {
    into.textContent = '';
    if (!reading) return;
    into.appendChild(span(null, 'CLIP reads: '));
    into.appendChild(reading.read.length ? span('reading-read', reading.read.join(' ')) : span(null, 'no word it knows'));
    if (reading.unknown.length) {
      into.appendChild(span(null, ' · not in its vocabulary, so ignored: '));
      into.appendChild(span('reading-unknown', reading.unknown.join(' ')));
    }
    if (reading.dropped.length) {
      into.appendChild(span(null, ' · past its ' + clipWords + ' words, dropped: '));
      into.appendChild(span('reading-dropped', reading.dropped.join(' ')));
    }
  }

  // ---- 2 · the form: one condition at a time, and the words CLIP reads of it ----
  function mode() { return $('diffuse-what').value; }

  let readingAsked = 0, readingTimer = null;
  // As the learner types: which words CLIP reads (latest answer wins; asked once typing pauses).
  function describeCondition() {
    const into = $('diffuse-reading');
    clearTimeout(readingTimer);
    readingAsked++;
    if (mode() === 'digit') {
      const option = $('diffuse-digit').selectedOptions[0];
      into.textContent = 'The digit ' + option.value + ' is asked for as the caption “' + option.dataset.caption + '”.';
    } else if (mode() === 'none') {
      into.textContent = 'Nothing asked: the U-Net sees the empty prompt, so guidance has nothing to push towards.';
    } else {
      const asked = readingAsked, text = $('diffuse-prompt').value;
      readingTimer = setTimeout(function () {
        fetch('/api/clip/read?text=' + encodeURIComponent(text), { headers: { 'Accept': 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (reading) { if (asked === readingAsked) showReading(into, reading); })
          .catch(function () { /* the reading is a hint; the run itself reports what CLIP read */ });
      }, 150);
    }
  }

  function showMode() {
    $('diffuse-digit-field').hidden = mode() !== 'digit';
    $('diffuse-prompt-field').hidden = mode() !== 'prompt';
    describeCondition();
  }

  function showGuidance() { $('diffuse-guidance-value').textContent = $('diffuse-guidance').value; }

  // "switch to … at step k": the fields count only while the box is ticked; k stays within 1..steps−1
  const switchFields = ['diffuse-switch-what', 'diffuse-switch-digit', 'diffuse-switch-prompt', 'diffuse-switch-at'];
  function showSwitch() {
    const on = $('diffuse-switch').checked, prompt = $('diffuse-switch-what').value === 'prompt';
    switchFields.forEach(function (id) { $(id).disabled = !on; });
    $('diffuse-switch-digit').hidden = prompt;
    $('diffuse-switch-prompt').hidden = !prompt;
    $('diffuse-switch-at').max = String(Math.max(1, Number($('diffuse-steps').value) - 1));
  }

  // The switchPrompt of a run's params, or null when the box is not ticked.
  function switchParams() {
    if (!$('diffuse-switch').checked) return null;
    const at = Math.max(1, Math.min(Number($('diffuse-switch-at').value), Number($('diffuse-steps').value) - 1));
    return $('diffuse-switch-what').value === 'prompt'
      ? { atStep: at, prompt: $('diffuse-switch-prompt').value } : { atStep: at, digit: Number($('diffuse-switch-digit').value) };
  }

  // What a condition is called on the page: the prompt in quotes, or the digit's caption.
  function conditionName(digit, prompt) {
    if (prompt) return '“' + prompt + '”';
    if (digit == null) return 'nothing (unconditional)';
    return '“' + $('diffuse-digit').querySelector('option[value="' + digit + '"]').dataset.caption + '”';
  }

  $('diffuse-what').addEventListener('change', showMode);
  $('diffuse-digit').addEventListener('change', describeCondition);
  $('diffuse-prompt').addEventListener('input', describeCondition);
  $('diffuse-guidance').addEventListener('input', showGuidance);
  ['diffuse-switch', 'diffuse-switch-what', 'diffuse-steps'].forEach(function (id) {
    $(id).addEventListener('change', showSwitch);
  });

  function params() {
    const p = {
      guidance: Number($('diffuse-guidance').value), steps: Number($('diffuse-steps').value),
      sampler: $('diffuse-sampler').value, space: $('diffuse-space').value, seed: Number($('diffuse-seed').value),
      noise: $('diffuse-noise').checked, inside: $('diffuse-inside').checked
    };
    if (mode() === 'digit') p.digit = Number($('diffuse-digit').value);
    if (mode() === 'prompt') p.prompt = $('diffuse-prompt').value;
    return p;
  }

  // Every control shows what a shared run ran with (the server writes its defaults out).
  function applyParams(p) {
    $('diffuse-what').value = p.digit != null ? 'digit' : p.prompt ? 'prompt' : 'none';
    if (p.digit != null) $('diffuse-digit').value = String(p.digit);
    if (p.prompt) $('diffuse-prompt').value = p.prompt;
    const guidance = $('diffuse-guidance');
    // the slider moves in halves; a run asked for through the API may sit between them
    guidance.step = p.guidance * 2 === Math.round(p.guidance * 2) ? '0.5' : 'any';
    guidance.value = String(p.guidance);
    $('diffuse-steps').value = String(p.steps);
    $('diffuse-sampler').value = p.sampler;
    $('diffuse-space').value = p.space;
    $('diffuse-seed').value = String(p.seed);
    $('diffuse-noise').checked = !!p.noise;
    $('diffuse-inside').checked = !!p.inside;
    const sw = p.switchPrompt;
    $('diffuse-switch').checked = !!sw;
    if (sw) {
      $('diffuse-switch-what').value = sw.prompt ? 'prompt' : 'digit';
      if (sw.prompt) $('diffuse-switch-prompt').value = sw.prompt; else $('diffuse-switch-digit').value = String(sw.digit);
      $('diffuse-switch-at').value = String(sw.atStep);
    }
    showSwitch();
    showGuidance();
    showMode();
  }

  // ---- 3 · the reverse process, one denoising step at a time through the player ----
  const panes = ['reverse-x', 'reverse-x0', 'reverse-eps-cond', 'reverse-eps-uncond', 'reverse-final'];
  let runSteps = 0, finished = null;   // the steps the run computes; its `done` event once it came
  let switching = null;               // the run's switch {atStep, to, from}, or null

  function stepLabel(steps, i) {
    const label = 'step ' + (steps[i].index + 1) + ' of ' + runSteps + ' · t = ' + steps[i].t;
    if (!switching) return label;
    return label + (steps[i].index >= switching.atStep ? ' · after the switch to ' + switching.to : ' · before the switch');
  }

  // The switch on the step player: a mark over the scrubber where step atStep sits, and a sentence under it.
  function markSwitch() {
    const root = $('reverse-player');
    let mark = root.querySelector('.player-switch-mark');
    if (!switching) {
      if (mark) mark.remove();
      $('switch-note').hidden = true;
      return;
    }
    if (!mark) {
      mark = document.createElement('span');
      mark.className = 'player-switch-mark';
      root.appendChild(mark);
    }
    const scrubber = root.querySelector('input[type=range]'), thumb = 16;
    const fraction = switching.atStep / Math.max(1, runSteps - 1);
    mark.style.left = (scrubber.offsetLeft + thumb / 2 + fraction * (scrubber.offsetWidth - thumb) - 1) + 'px';
    mark.style.top = scrubber.offsetTop + 'px';
    mark.style.height = scrubber.offsetHeight + 'px';
    mark.title = 'step ' + (switching.atStep + 1) + ': the condition switches to ' + switching.to;
    const note = $('switch-note');
    note.hidden = false;
    note.textContent = (switching.atStep === 1 ? 'Step 1 is' : 'Steps 1–' + switching.atStep + ' are') + ' conditioned on ' + switching.from + ', exactly the run'
      + ' without the switch; from step ' + (switching.atStep + 1) + ' (the orange mark) on, on ' + switching.to
      + '. Scrub across the mark to watch x̂₀ change course.';
  }
  window.addEventListener('resize', function () { if (switching) markSwitch(); });

  // The run as it was at step i: x_t and x̂₀ of that step, its ε panes if recorded, the final image only at the end.
  function render(steps, i) {
    const step = steps[i], x = $('reverse-x');
    drawImage(x, step.x);
    x.dataset.index = String(step.index);
    x.dataset.t = String(step.t);
    drawImage($('reverse-x0'), step.x0);
    if (step.noiseConditional) drawImage($('reverse-eps-cond'), step.noiseConditional); else blank($('reverse-eps-cond'));
    if (step.noiseUnconditional) drawImage($('reverse-eps-uncond'), step.noiseUnconditional); else blank($('reverse-eps-uncond'));
    $('reverse-caption').textContent = 'x_t · t = ' + step.t;   // which step: the player's label says
    $('reverse-frames').dataset.condition = switching && step.index >= switching.atStep ? 'switched' : 'first';
    const last = finished && i === steps.length - 1, final = $('reverse-final');
    if (last) drawImage(final, finished.image); else blank(final);
    final.dataset.shown = String(!!last);
    $('reverse-final-caption').textContent = last
      ? 'final image · ' + finished.seconds.toFixed(2) + ' s for ' + finished.steps + ' steps (' + finished.space + ')'
      : 'final image (at the last step)';
    DiffusionInside.render(steps, i);
    if (switching) markSwitch();   // the player's layout may have moved the scrubber
  }

  const player = RunPlayer($('reverse-player'), { render: render, label: stepLabel, pace: 120 });

  // A new run of `steps` steps; p its params (for the switch, if any).
  function newRun(steps, p) {
    runSteps = steps;
    const sw = p.switchPrompt;
    switching = sw ? { atStep: sw.atStep, to: conditionName(sw.digit, sw.prompt), from: conditionName(p.digit, p.prompt) } : null;
    finished = null;
    player.reset();
    panes.forEach(function (id) { blank($(id)); });
    $('reverse-final').dataset.shown = 'false';
    $('reverse-caption').textContent = 'x_t';
    $('reverse-final-caption').textContent = 'final image (at the last step)';
    $('reverse-frames').dataset.frames = '0';
    delete $('reverse-frames').dataset.done;
    $('run-status').textContent = '';
    DiffusionInside.reset();
    markSwitch();
  }

  function runLink(prefix, id) {
    const status = $('run-status'), a = document.createElement('a');
    a.href = '/r/' + encodeURIComponent(id);
    a.textContent = id;
    status.textContent = prefix + ' ';
    status.appendChild(a);
    const compare = document.createElement('a');   // "compare with…": a second diffusion, side by side
    compare.href = '/compare?a=' + encodeURIComponent(id);
    compare.textContent = 'compare with…';
    status.append(' · ', compare);
  }

  const handlers = {
    types: ['prompt', 'step'],
    onEvent: function (type, data) {
      if (type === 'prompt') {
        if (mode() === 'prompt') showReading($('diffuse-reading'), data);
        return;
      }
      const frames = $('reverse-frames');
      frames.dataset.frames = String(Number(frames.dataset.frames) + 1);
      player.push(data);
    },
    onEnd: function (type, data) {
      $('diffuse-start').disabled = false;
      if (type === 'done') {
        finished = data;
        $('reverse-frames').dataset.done = 'true';
        // already showing the last step: show it again, now with the final image
        const steps = player.steps();
        if (steps.length && player.shown() === steps.length - 1) render(steps, steps.length - 1);
      } else {
        $('run-status').textContent = (type === 'cancelled' ? 'Cancelled: ' : 'Failed: ') + (data.message || data.reason || '');
      }
      player.finish();
    },
    onBusy: function (seconds) {
      $('diffuse-start').disabled = false;
      $('run-status').textContent = 'Not started: a limit on runs was reached; try again in ' + seconds + ' s.';
      player.finish();
    }
  };

  $('diffuse-form').addEventListener('submit', function (e) {
    e.preventDefault();
    if ($('diffuse-start').disabled) return;
    const p = params();
    const sw = switchParams();
    if (sw) p.switchPrompt = sw;
    newRun(p.steps, p);
    $('diffuse-start').disabled = true;
    RunStream.start('diffuse', p, handlers).then(function (run) {
      if (run) runLink('Run', run.id);
    }).catch(function (err) {
      $('diffuse-start').disabled = false;
      $('run-status').textContent = 'Could not reach the server: ' + err.message;
    });
  });

  // ---- a shared run (/r/{id}): its settings in the form; its steps read at once, played from step 0 ----
  if (root.dataset.sharedRun) {
    const shared = JSON.parse(root.dataset.sharedParams);
    applyParams(shared);
    newRun(shared.steps, shared);
    runLink('Shared run', root.dataset.sharedRun);
    $('reverse-panel').scrollIntoView();   // the link was shared to show this run
    RunStream.follow('/api/runs/' + encodeURIComponent(root.dataset.sharedRun) + '/events', handlers);
  } else {
    showGuidance();
    showMode();
    showSwitch();
    // Arriving from a card of the map on a panel that shows a run's steps (/diffusion#cross-attention): start
    // one with the form's settings (inside the U-Net ticked), so the panel fills while the learner watches;
    // the latent card's run diffuses in latent space.
    if (location.hash === '#latent-steps') $('diffuse-space').value = 'latent';
    if (['#reverse-panel', '#unet-inside', '#cross-attention', '#latent-steps'].indexOf(location.hash) >= 0) {
      $('diffuse-start').click();
    }
  }

  window.Diffusion = {
    params: params, drawImage: drawImage, thumbnail: thumbnail, postJson: postJson, showReading: showReading,
    span: span, sampleIndices: sampleIndices
  };
})();
