// The plain-language check as the writer types (an enhancement: without JavaScript the
// "Vérifier la lisibilité" button posts the form and the page shows the same findings).
// Each field marked data-plain-check="<kind>" posts its text to /lisibilite/verifier/ a moment
// after the writer stops typing; the answer (HTML) goes in the field's live region.
(function () {
  "use strict";
  var DELAY = 800;
  function setUp(field) {
    var region = document.querySelector('[data-plain-check-for="' + field.id + '"]');
    var form = field.form;
    var token = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!region || !token || field.getAttribute("data-plain-check-ready")) { return; }
    field.setAttribute("data-plain-check-ready", "1");
    var endpoint = region.getAttribute("data-plain-check-url");
    var timer = null;
    var sent = null;
    function send() {
      var text = field.value;
      if (text === sent) { return; }
      sent = text;
      var body = new FormData();
      body.append("text", text);
      body.append("kind", field.getAttribute("data-plain-check"));
      body.append("csrfmiddlewaretoken", token.value);
      fetch(endpoint, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token.value } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null && field.value === text) { region.innerHTML = html; } })
        .catch(function () { sent = null; });
    }
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(send, DELAY);
    });
  }
  document.querySelectorAll("[data-plain-check]").forEach(setUp);
})();
