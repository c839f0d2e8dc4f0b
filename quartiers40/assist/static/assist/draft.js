// The AI button of a form, enhanced: the same POST, answered as JSON, fills the field in
// place (the page does not reload and keeps its scroll). Without this script the button
// submits the form and the page comes back with the draft (assist/forms.py).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-assist-field]");
    if (!button || button.disabled) return;
    var form = button.form;
    var name = button.getAttribute("data-assist-field");
    var field = form && form.elements[name];
    var box = button.closest("[data-assist-box]");
    var status = box && box.querySelector("[data-assist-status]");
    if (!field || !status || !window.fetch || !window.FormData) return;
    event.preventDefault();
    var data = new FormData(form);
    data.set("assist", name);
    var label = button.textContent;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    status.textContent = button.getAttribute("data-waiting") || "…";
    function say(text, className) {
      status.textContent = "";
      var paragraph = document.createElement("p");
      paragraph.className = className;
      paragraph.textContent = text;
      status.appendChild(paragraph);
    }
    // Not form.action: the form's "action" buttons shadow that property.
    fetch(button.getAttribute("formaction") || form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (answer.text) {
          field.value = answer.text;
          var token = form.elements[answer.token_field];
          if (token) token.value = answer.token;
          say(answer.note, "ai-note");
          field.focus();
        } else {
          say(answer.error || label, "alert alert-warning");
        }
      })
      .catch(function () {
        form.requestSubmit(button); // the plain way: the page comes back with the draft
      })
      .finally(function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
  });
})();
