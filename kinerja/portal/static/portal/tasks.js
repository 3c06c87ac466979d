// The count of my tasks in the menu, read from the API after the page has loaded, so that no
// page pays for computing the worklist; without script the link still leads to the list.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var badge = document.getElementById("nav-tasks-count");
    if (!badge || !window.fetch) return;
    fetch(badge.getAttribute("data-source"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.count) return;
        var overdue = data.items.some(function (item) {
          return item.due && item.due < badge.getAttribute("data-today");
        });
        badge.textContent = String(data.count);
        badge.classList.add(overdue ? "badge-bad" : "badge-warn");
        badge.setAttribute("aria-label", badge.getAttribute("data-label").replace("#", String(data.count)));
        badge.hidden = false;
      })
      .catch(function () { /* no count: the link stays */ });
  });
})();
