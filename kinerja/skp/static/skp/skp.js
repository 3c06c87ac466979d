// Small progressive enhancements of the plan pages; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Ask before a destructive form is sent (data-confirm holds the question).
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    // Indicator rows: show the filled rows and one empty row; a button shows the next.
    document.querySelectorAll("[data-iki-rows]").forEach(function (box) {
      var rows = Array.prototype.slice.call(box.querySelectorAll("[data-iki-row]"));
      var more = box.querySelector("[data-iki-more]");
      function filled(row) {
        return Array.prototype.some.call(row.querySelectorAll("input, select, textarea"), function (el) {
          return el.value && el.value.trim() !== "";
        }) || row.classList.contains("has-error");
      }
      var last = -1;
      rows.forEach(function (row, i) { if (filled(row)) last = i; });
      var shown = Math.max(last + 2, 1);
      rows.forEach(function (row, i) { row.hidden = i >= shown; });
      if (!more) return;
      more.hidden = shown >= rows.length;
      more.addEventListener("click", function () {
        var next = rows.find(function (row) { return row.hidden; });
        if (next) {
          next.hidden = false;
          var first = next.querySelector("select, input");
          if (first) first.focus();
        }
        more.hidden = !rows.some(function (row) { return row.hidden; });
      });
    });
  });
})();
