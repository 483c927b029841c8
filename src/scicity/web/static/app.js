// Draws the Vega-Lite charts of a page: every element with a data-spec attribute.
// No inline script anywhere: the Content-Security-Policy allows only files from this server,
// and Vega runs its expressions through the interpreter (no eval).
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll("[data-spec]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      el.dataset.drawn = "1";
      var spec;
      try { spec = JSON.parse(el.dataset.spec); } catch (e) { el.textContent = "chart data unreadable"; return; }
      if (!window.vegaEmbed) { el.textContent = "charts need JavaScript"; return; }
      window.vegaEmbed(el, spec, {
        renderer: "svg", actions: false, ast: true, expr: window.vega.expressionInterpreter,
        defaultStyle: false, tooltip: false
      }).then(function () { el.dataset.ready = "1"; })
        .catch(function (err) { el.dataset.error = String(err); el.textContent = String(err); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("htmx:afterSwap", draw);
})();
