// Forms: how a typed number is read (the rules of kinerja/core/numbers.py:from_form, mirrored
// row by row), and the error summary brought into view. Every form works without this file.
(function () {
  "use strict";

  function escape(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // The same separators as kinerja.core.forms.RANGE_SEPARATOR.
  var RANGE = /\s*(?:–|—|s\.?\s?d\.?|(?<=[0-9])\s*-)\s*(?=-?[0-9])/i;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  // One number: {sign, whole, fraction} or {error}. Mirrors from_form and _refusal.
  function readOne(text, rules) {
    var typed = text.trim().replace(/\u2212/g, "-");
    var group = escape(rules.group), mark = escape(rules.decimal);
    var pattern = new RegExp(
      "^(-?)((?:[1-9][0-9]{0,2}(?:" + group + "[0-9]{3})+)|[0-9]+)(?:" + mark + "([0-9]+))?$"
    );
    var match = pattern.exec(typed);
    if (match) {
      return {
        sign: match[1],
        whole: match[2].split(rules.group).join("").replace(/^0+(?=[0-9])/, ""),
        fraction: (match[3] || "").replace(/0+$/, "")
      };
    }
    var reason;
    if (!new RegExp("^-?[0-9" + group + mark + "]+$").test(typed)) reason = rules.chars;
    else if (typed.split(rules.decimal).length > 2) reason = rules.marks;
    else if (typed.indexOf(rules.decimal) >= 0 &&
             typed.split(rules.decimal)[1].indexOf(rules.group) >= 0) reason = rules.after;
    else reason = rules.groups;
    var values = { value: typed.slice(0, 40), group: rules.group, mark: rules.decimal };
    return { error: fill(reason, values) + " " + rules.example };
  }

  function grouped(whole, separator) {
    return whole.replace(/\B(?=([0-9]{3})+(?![0-9]))/g, separator);
  }

  function shown(number, rules) {
    var text = number.sign + grouped(number.whole, rules.group);
    if (number.fraction) text += rules.decimal + number.fraction;
    if (text === "-0") text = "0";
    return text;
  }

  // Indonesian words for a whole number (terbilang), up to the trillions.
  var ONES = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
              "sembilan", "sepuluh", "sebelas"];
  var SCALES = [[1e12, "triliun"], [1e9, "miliar"], [1e6, "juta"]];

  function after(words, rest) { return rest ? words + " " + terbilang(rest) : words; }

  function terbilang(n) {
    if (n < 12) return ONES[n];
    if (n < 20) return terbilang(n - 10) + " belas";
    if (n < 100) return after(terbilang(Math.floor(n / 10)) + " puluh", n % 10);
    if (n < 200) return after("seratus", n - 100);
    if (n < 1000) return after(terbilang(Math.floor(n / 100)) + " ratus", n % 100);
    if (n < 2000) return after("seribu", n - 1000);
    if (n < 1e6) return after(terbilang(Math.floor(n / 1000)) + " ribu", n % 1000);
    for (var i = 0; i < SCALES.length; i++) {
      if (n >= SCALES[i][0]) {
        return after(terbilang(Math.floor(n / SCALES[i][0])) + " " + SCALES[i][1],
                     n % SCALES[i][0]);
      }
    }
    return String(n);
  }

  function words(number, rules) {
    if (rules.lang !== "id" || number.whole.length > 15) return "";
    var text = terbilang(parseInt(number.whole, 10));
    if (number.fraction) {
      text += " koma " + number.fraction.split("").map(function (d) { return ONES[+d]; }).join(" ");
    }
    return (number.sign && text !== "nol" ? "minus " : "") + text;
  }

  // What the field holds: {text} as read, or {error}; null when empty.
  function reading(value, rules) {
    if (!value.trim()) return null;
    var parts = rules.range ? value.trim().split(RANGE) : [value];
    if (parts.length > 2) parts = [value];
    var read = parts.map(function (part) { return readOne(part, rules); });
    for (var i = 0; i < read.length; i++) if (read[i].error) return { error: read[i].error };
    var text = read.map(function (number) {
      var said = words(number, rules);
      return shown(number, rules) + (said ? " (" + said + ")" : "");
    }).join(" – ");
    return { text: fill(rules.read, { number: text }) };
  }

  function attachReading(input) {
    var rules;
    try { rules = JSON.parse(input.getAttribute("data-number")); } catch (e) { return; }
    var output = document.createElement("span");
    output.className = "number-reading";
    output.id = (input.id || input.name) + "_reading";
    output.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", output);
    function show(strict) {
      var result = reading(input.value, rules);
      output.classList.remove("number-reading-error");
      if (!result) { output.textContent = ""; return; }
      if (result.error) {
        if (!strict) { output.textContent = ""; return; }
        output.textContent = result.error;
        output.classList.add("number-reading-error");
        return;
      }
      output.textContent = result.text;
    }
    // Live as the user types (not on leaving the field: a line appearing then would move the
    // button under a click); a value sent back refused has the server's reason beside it.
    input.addEventListener("input", function () { show(true); });
    show(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-number]").forEach(attachReading);
    // After a failed submit: bring the error summary into view and move focus to it.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
  });
})();
