// The navigation at phone width: collapsed behind a "Menu" button (no inline script: the CSP allows only files
// from this server). Without JavaScript the menu stays open, so every page is still reachable.
(function () {
  "use strict";
  function setup() {
    var header = document.querySelector("header.top");
    var button = document.getElementById("menu-button");
    if (!header || !button) { return; }
    header.classList.add("menu-ready");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
})();
