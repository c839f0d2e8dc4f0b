// A live count under a text box with `data-count-max` (the summary: 400 characters).
// Without JavaScript the box's help says the limit and the browser stops at it (maxlength).
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-count-max]").forEach(function (box) {
    var max = parseInt(box.getAttribute("data-count-max"), 10);
    var words = box.getAttribute("data-count-text") || "{count} / {max}";
    var shown = document.createElement("p");
    shown.className = "help char-count";
    shown.id = box.id + "_count";
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", shown);
    shown.insertAdjacentElement("afterend", spoken);
    var described = box.getAttribute("aria-describedby");
    box.setAttribute("aria-describedby", (described ? described + " " : "") + shown.id);
    var timer = null;
    function text() {
      return words.replace("{count}", box.value.length).replace("{max}", max);
    }
    function update() {
      shown.textContent = text();
      shown.classList.toggle("char-count-near", box.value.length > max - 40);
      // Screen readers hear the count once the person pauses, not at every key.
      clearTimeout(timer);
      timer = setTimeout(function () { spoken.textContent = text(); }, 1200);
    }
    box.addEventListener("input", update);
    shown.textContent = text();
  });
})();
