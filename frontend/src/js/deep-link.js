// A deep link such as /text#attention-panel (the knowledge map's "Try it live") names a panel: bring it into
// view and highlight it. The browser scrolls to the fragment while the page is still being built; formulas
// (KaTeX) and the page's own script then change the height of what is above it, so scroll again once they ran.
(function () {
  function target() {
    const id = decodeURIComponent(location.hash.slice(1));
    return id ? document.getElementById(id) : null;
  }

  function highlight() {
    const panel = target();
    if (!panel) return;
    document.querySelectorAll('.panel-highlight').forEach(function (e) { e.classList.remove('panel-highlight'); });
    panel.classList.add('panel-highlight');
    panel.scrollIntoView({ block: 'start' });
  }

  // once the reader scrolls by themselves, leave the page where they put it
  let moved = false;
  ['wheel', 'touchstart', 'keydown'].forEach(function (type) {
    window.addEventListener(type, function () { moved = true; }, { once: true, passive: true });
  });

  document.addEventListener('DOMContentLoaded', highlight);
  window.addEventListener('hashchange', highlight);
  window.addEventListener('load', function () {
    const panel = target();
    if (panel && !moved) panel.scrollIntoView({ block: 'start' });
  });
})();
