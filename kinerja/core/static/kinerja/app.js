// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // The menu button on narrow screens.
    document.querySelectorAll("[data-nav-toggle]").forEach(function (button) {
      var nav = document.getElementById(button.getAttribute("aria-controls"));
      button.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    // The groups of the menu (<details>): one open at a time; Escape or a click elsewhere
    // closes them. Without script they still open and close.
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-nav-group]"));
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open) return;
        groups.forEach(function (other) { if (other !== group) other.open = false; });
      });
    });
    document.addEventListener("click", function (event) {
      groups.forEach(function (group) { if (!group.contains(event.target)) group.open = false; });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      groups.forEach(function (group) {
        if (!group.open) return;
        group.open = false;
        if (group.contains(document.activeElement)) group.querySelector("summary").focus();
      });
    });
    // A wide table scrolls to the current period's column (th.is-current), keeping the
    // first column (sticky) in view.
    document.querySelectorAll("[data-scroll-current]").forEach(function (wrap) {
      var current = wrap.querySelector("th.is-current");
      if (!current || wrap.scrollWidth <= wrap.clientWidth) return;
      var right = current.offsetLeft + current.offsetWidth;
      if (right > wrap.scrollLeft + wrap.clientWidth) wrap.scrollLeft = right - wrap.clientWidth + 4;
    });
    // Any other table that does not fit scrolls sideways: reachable by keyboard, named after
    // its section's heading.
    document.querySelectorAll(".table-wrap:not([tabindex])").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth) return;
      var section = wrap.closest("section, .card");
      var heading = section && section.querySelector("h2, h3");
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label")) {
        wrap.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
      }
    });
    // Submit a form as soon as its select changes (the language switch); the button stays
    // for browsers without script.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var fallback = select.form.querySelector("[data-autosubmit-fallback]");
      if (fallback) fallback.hidden = true;
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // Open or close every branch of a tree at once.
    document.querySelectorAll("[data-tree-toggle]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var tree = document.getElementById(button.getAttribute("data-tree-toggle"));
        var open = button.getAttribute("data-open") !== "true";
        tree.querySelectorAll("details").forEach(function (d) { d.open = open; });
        button.setAttribute("data-open", open ? "true" : "false");
      });
    });
  });
})();
