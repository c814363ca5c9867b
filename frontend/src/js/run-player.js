// The run player: one component through which every page shows a run, step by step.
//
// A run's events arrive in milliseconds (a classify run's layers in 10 ms, 50 diffusion steps in 0.3 s); a
// learner needs to see them one at a time. The page keeps nothing itself: it pushes each step (one layer, one
// recorded training point, one token, one denoising step) into the player, and the player calls the page's
// render(steps, index) to show the run *as it was at* step `index` — so render draws from steps[0..index],
// never from "whatever came last". Live runs play as they arrive; a learner can pause the display and scrub
// back while the run still computes.
//
//   const player = RunPlayer(element, {
//     render: function (steps, index) { … },       // show the run at step `index` (0-based)
//     label: function (steps, index) { … },        // optional: "layer 2 of 4", "t = 960"; default "step i / n"
//     pace: 400                                    // ms per step at 1× (an instructive default per kind)
//   });
//   player.reset();  player.push(step);  player.finish();  player.show(i);  player.steps();  player.clear();
//
// Contract the tests use: the element has `data-run-player` and holds one <input type="range"> whose `max` is
// the number of steps − 1 and whose value is the step shown; an `input` event on it shows that step. The
// element also carries data-step (shown), data-steps (count) and data-state (empty | playing | paused | ended).
(function () {
  const SPEEDS = [['0.25', '¼×'], ['0.5', '½×'], ['1', '1×'], ['2', '2×'], ['4', '4×'], ['16', '16×'],
    ['live', 'as computed']];

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function button(className, text, title) {
    const b = el('button', 'player-button ' + className, text);
    b.type = 'button';
    b.title = title;
    b.setAttribute('aria-label', title);
    return b;
  }

  function RunPlayer(root, options) {
    const pace = options.pace || 300;
    let steps = [], shown = -1, playing = true, finished = false, timer = null, frame = null, wanted = -1;
    let awaiting = false;   // a run was started (reset) and its first step has not come yet

    root.setAttribute('data-run-player', '');
    root.classList.add('player');
    const play = button('player-play', '❚❚', 'Pause');
    const back = button('player-back', '◀', 'Step back');
    const forward = button('player-forward', '▶', 'Step forward');
    const scrubber = el('input', 'player-scrubber');
    scrubber.type = 'range';
    scrubber.min = '0'; scrubber.max = '0'; scrubber.value = '0'; scrubber.step = '1';
    scrubber.setAttribute('aria-label', 'Step of the run');
    const position = el('span', 'player-position', 'no run yet');
    position.setAttribute('aria-live', 'polite');
    const speed = el('select', 'player-speed');
    speed.setAttribute('aria-label', 'Speed');
    SPEEDS.forEach(function (s) {
      const o = el('option', null, s[1]);
      o.value = s[0];
      if (s[0] === '1') o.selected = true;
      speed.appendChild(o);
    });
    const live = el('span', 'player-live', '● live');
    live.hidden = true;
    const buttons = el('span', 'player-buttons');
    [back, play, forward].forEach(function (b) { buttons.appendChild(b); });
    const row = el('div', 'player-row');
    row.appendChild(buttons); row.appendChild(scrubber);
    const info = el('div', 'player-info');
    info.appendChild(position); info.appendChild(live);
    const speedLabel = el('label', 'player-speed-label', 'speed ');
    speedLabel.appendChild(speed);
    info.appendChild(speedLabel);
    root.appendChild(row);
    root.appendChild(info);

    function state() {
      if (!steps.length) return 'empty';
      if (finished && shown === steps.length - 1 && !playing) return 'ended';
      return playing ? 'playing' : 'paused';
    }

    function refresh() {
      scrubber.max = String(Math.max(0, steps.length - 1));
      scrubber.value = String(Math.max(0, shown));
      scrubber.disabled = steps.length < 2;
      back.disabled = shown <= 0;
      forward.disabled = shown >= steps.length - 1;
      // before any run there is nothing to pause: an idle, disabled ▶ (not a highlighted ❚❚ that looks busy)
      const idle = !steps.length && !awaiting;
      play.disabled = !steps.length;
      play.textContent = playing && !idle ? '❚❚' : '▶';
      play.title = playing ? 'Pause' : (finished && shown === steps.length - 1 ? 'Play again' : 'Play');
      play.setAttribute('aria-label', play.title);
      play.classList.toggle('player-paused', !playing || idle);
      live.hidden = finished || !steps.length;
      position.textContent = !steps.length ? (finished ? 'the run ended before its first step'
        : awaiting ? 'waiting for the first step…' : 'no run yet')
        : options.label ? options.label(steps, shown) : 'step ' + (shown + 1) + ' of ' + steps.length;
      root.dataset.step = String(shown);
      root.dataset.steps = String(steps.length);
      root.dataset.state = state();
    }

    // Draws at most once per animation frame, however fast steps arrive (512 tokens can come in a second).
    function draw() {
      frame = null;
      if (wanted < 0 || wanted >= steps.length) return;
      shown = wanted;
      options.render(steps, shown);
      refresh();
    }

    function show(index, now) {
      wanted = Math.max(0, Math.min(index, steps.length - 1));
      if (now || document.hidden) {
        if (frame) { cancelAnimationFrame(frame); frame = null; }
        draw();
      } else if (!frame) {
        frame = requestAnimationFrame(draw);
      }
    }

    function interval() {
      return speed.value === 'live' ? 0 : pace / Number(speed.value);
    }

    function tick() {
      timer = null;
      if (!playing) return;
      const target = Math.max(shown, wanted);
      if (target < steps.length - 1) {
        show(speed.value === 'live' ? steps.length - 1 : target + 1);
      } else if (finished) {
        playing = false;
        refresh();
        return;
      } else {
        return; // live and caught up: push() schedules the next tick
      }
      schedule();
    }

    function schedule() {
      if (playing && !timer) timer = setTimeout(tick, interval());
    }

    function setPlaying(on) {
      playing = on;
      if (!on && timer) { clearTimeout(timer); timer = null; }
      if (on && finished && shown === steps.length - 1) show(0, true); // play again from the start
      refresh();
      schedule();
    }

    play.addEventListener('click', function () { setPlaying(!playing); });
    back.addEventListener('click', function () { setPlaying(false); show(shown - 1, true); });
    forward.addEventListener('click', function () { setPlaying(false); show(shown + 1, true); });
    scrubber.addEventListener('input', function () {
      const index = Number(scrubber.value);   // read first: pausing refreshes the scrubber to the step shown
      setPlaying(false);
      show(index, true);
    });
    speed.addEventListener('change', function () {
      if (timer) { clearTimeout(timer); timer = null; }
      schedule();
    });

    function forget(runStarting) {
      if (timer) { clearTimeout(timer); timer = null; }
      steps = []; shown = -1; wanted = -1; finished = false; playing = true; awaiting = runStarting;
      refresh();
    }

    const api = {
      // A new run: forget the old one's steps; plays from its first step as they arrive.
      reset: function () { forget(true); },
      // Nothing to show (the page was cleared): forget the steps and wait idle, not for a first step.
      clear: function () { forget(false); },
      push: function (step) {
        steps.push(step);
        if (shown < 0) show(0, true); else { refresh(); schedule(); }
      },
      // No more steps will come (done, error or cancelled).
      finish: function () {
        finished = true;
        refresh();
        schedule();
      },
      show: function (index) { setPlaying(false); show(index, true); },
      // Plays (true) or pauses (false) the display; the run itself is not affected.
      play: setPlaying,
      // Jumps to the last step and shows each new one as soon as it arrives (for a learner who is drawing).
      follow: function () { speed.value = 'live'; setPlaying(true); },
      steps: function () { return steps; },
      shown: function () { return shown; }
    };
    refresh();
    return api;
  }

  window.RunPlayer = RunPlayer;
})();
