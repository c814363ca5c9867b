// Renders every element with a data-tex attribute with KaTeX (also inside content htmx swaps in).
(function () {
  function render(root) {
    root.querySelectorAll('[data-tex]').forEach(function (el) {
      if (el.dataset.rendered) return;
      katex.render(el.dataset.tex, el, { throwOnError: false, displayMode: true });
      el.dataset.rendered = 'true';
    });
  }
  document.addEventListener('DOMContentLoaded', function () { render(document); });
  // A page that changes a formula (sets data-tex, drops data-rendered) renders it again with this.
  window.Formulas = { render: render };
  document.addEventListener('htmx:afterSwap', function (e) { render(e.target); });
})();
