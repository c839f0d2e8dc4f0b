/* Quartiers 4.0 – the page of a CSV check follows its job by itself.
 *
 * Polls the job's etat.json (data-status-url) every 1.5 s and updates the status
 * sentence and the <progress> bar, both in an aria-live="polite" region. When the job
 * is finished it shows the result block sent by the server and stops. Without
 * JavaScript the page has a "Mettre à jour" button that reloads it.
 */
(function () {
  "use strict";

  var INTERVAL = 1500;
  var RETRY_INTERVAL = 5000;
  var MAX_FAILURES = 20;

  var root = document.querySelector("[data-job]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-status-url");
  var text = root.querySelector("[data-job-text]");
  var bar = root.querySelector("[data-job-progress]");
  var refresh = root.querySelector("[data-job-refresh]");
  var outcome = document.querySelector("[data-job-outcome]");
  var failures = 0;
  var shown = text.textContent;

  function showText(state) {
    var sentence = state.status_label + " : " + state.text;
    if (sentence === shown) {
      return; // the live region speaks only when something changed
    }
    shown = sentence;
    var strong = document.createElement("strong");
    strong.textContent = state.status_label;
    text.replaceChildren(strong, document.createTextNode(" : " + state.text));
  }

  function showProgress(state) {
    bar.hidden = state.status === "failed";
    if (state.rows_total) {
      bar.max = state.rows_total;
      bar.value = state.status === "done" ? state.rows_total : state.rows_done;
    } else {
      bar.removeAttribute("value"); // indeterminate: the number of rows is not known yet
    }
    bar.textContent = state.percent === null ? "" : state.percent + " %";
  }

  function update(state) {
    showProgress(state);
    showText(state);
    document.title = document.title.replace(/^[^–]*–/, state.status_label + " –");
    if (state.finished) {
      if (refresh) {
        refresh.remove();
      }
      outcome.innerHTML = state.outcome_html; // rendered and escaped by the server
    }
  }

  function poll() {
    fetch(url, { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        update(state);
        if (!state.finished) {
          window.setTimeout(poll, INTERVAL);
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < MAX_FAILURES) {
          window.setTimeout(poll, RETRY_INTERVAL); // the button still works meanwhile
        }
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
