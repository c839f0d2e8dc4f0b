// Similar défis while typing the title of a new défi (the form works without this file:
// its "Vérifier" button shows the same list after a round trip).
(function () {
  "use strict";
  var form = document.querySelector("form.challenge-form[data-similar-url]");
  if (!form) return;
  var title = form.querySelector("input[name=title]");
  var region = document.getElementById("similar-challenges");
  if (!title || !region) return;
  var url = form.getAttribute("data-similar-url");
  var timer = null;
  var last = "";
  var controller = null;

  function search() {
    var value = title.value.trim();
    if (value === last) return;
    last = value;
    if (value.length < 4) {
      region.innerHTML = "";
      return;
    }
    if (controller) controller.abort();
    controller = "AbortController" in window ? new AbortController() : null;
    var separator = url.indexOf("?") === -1 ? "?" : "&";
    fetch(url + separator + "title=" + encodeURIComponent(value), {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (title.value.trim() === value) region.innerHTML = html;
      })
      .catch(function () {});
  }

  title.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 400);
  });

  // The consent box matters only when posting for a resident.
  var behalf = form.querySelector("input[name=on_behalf_of_resident]");
  var consent = form.querySelector("input[name=resident_consent]");
  if (behalf && consent) {
    var consentField = consent.closest(".field");
    var sync = function () {
      if (consentField) consentField.hidden = !behalf.checked && !consent.checked;
    };
    behalf.addEventListener("change", sync);
    sync();
  }
})();
