// The import page: upload with fetch and show the progress of the import while it runs.
// Without this file the form posts normally and the job page refreshes itself.
(function () {
  "use strict";

  var POLL_MS = 500;
  var ZERO_UUID = "00000000-0000-0000-0000-000000000000";

  function setProgress(bar, text, labels, data) {
    if (data && data.total > 0) {
      bar.max = data.total;
      bar.value = Math.min(data.done, data.total);
    } else {
      bar.removeAttribute("value");  // indeterminate
    }
    var label = (data && labels[data.phase]) || labels.upload || "";
    if (data && data.total > 0) {
      label += " " + data.done.toLocaleString() + " / " + data.total.toLocaleString();
    }
    if (text && label) text.textContent = label;
  }

  function labelsOf(element) {
    return {
      upload: element.getAttribute("data-label-upload"),
      read: element.getAttribute("data-label-read"),
      validate: element.getAttribute("data-label-validate"),
      write: element.getAttribute("data-label-write"),
      audit: element.getAttribute("data-label-audit"),
      raters: element.getAttribute("data-label-raters"),
      done: element.getAttribute("data-label-done")
    };
  }

  function poll(url, onData) {
    var stopped = false;
    var timer = null;
    function tick() {
      if (stopped) return;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (stopped) return;
          if (data) onData(data);
          timer = window.setTimeout(tick, POLL_MS);
        })
        .catch(function () { if (!stopped) timer = window.setTimeout(tick, POLL_MS); });
    }
    tick();
    return function stop() { stopped = true; if (timer) window.clearTimeout(timer); };
  }

  function showErrors(form, errors) {
    form.querySelectorAll("[data-errors-for]").forEach(function (list) {
      list.textContent = "";
      var mine = errors[list.getAttribute("data-errors-for")] || [];
      mine.forEach(function (error) {
        var item = document.createElement("li");
        item.textContent = error.message;
        list.appendChild(item);
      });
    });
  }

  function enhanceForm(form) {
    if (!window.fetch || !window.FormData || !(window.crypto && window.crypto.randomUUID)) return;
    var box = form.querySelector("[data-import-progress]");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[role=status]");
    var button = form.querySelector("[data-import-submit]");
    var labels = labelsOf(form);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var id = window.crypto.randomUUID();
      form.querySelector("input[name=job_id]").value = id;
      var body = new FormData(form);
      showErrors(form, {});
      button.disabled = true;
      box.hidden = false;
      setProgress(bar, text, labels, null);
      var stop = poll(form.getAttribute("data-status-url").replace(ZERO_UUID, id), function (data) {
        setProgress(bar, text, labels, data.finished ? { phase: "done", done: 1, total: 1 } : data);
      });
      fetch(form.action || window.location.href, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (result) {
          stop();
          if (result.ok && result.data.url) {
            setProgress(bar, text, labels, { phase: "done", done: 1, total: 1 });
            window.location.assign(result.data.url);
            return;
          }
          box.hidden = true;
          button.disabled = false;
          showErrors(form, (result.data && result.data.errors) || {});
        })
        .catch(function () {
          stop();
          button.disabled = false;
          bar.value = 0;
          text.textContent = form.getAttribute("data-label-failed");
        });
    });
  }

  function followJob(element) {
    var bar = element.querySelector("progress");
    var text = element.querySelector("[role=status]");
    var labels = labelsOf(element);
    poll(element.getAttribute("data-status-url"), function (data) {
      if (data.finished) {
        window.location.reload();
        return;
      }
      setProgress(bar, text, labels, data);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-import-form]").forEach(enhanceForm);
    document.querySelectorAll("[data-import-job]").forEach(followJob);
  });
})();
