/* Quartiers 4.0 – « Écouter »: a page's main content read aloud by the browser's own speech
 * synthesis (no external service). An enhancement: without JavaScript, without
 * window.speechSynthesis, or without a voice for the content's language, nothing shows.
 *
 * A [data-listen] element is the content to read. Its data-* attributes, rendered by the
 * template (no inline script: the CSP allows 'self' only):
 *   data-listen-lang   the language of the content (the page's, or "fr" when it falls back)
 *   data-listen-start  the button's label to start (« Écouter », translated)
 *   data-listen-stop   its label while reading (« Arrêter »)
 * The button is inserted right before the element. Each block of text is read with the
 * language it is marked with (its closest [lang]), so a French text on an Arabic page is
 * read by a French voice. Forms, buttons, navigation and [data-listen-skip] are left out.
 */
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var containers = document.querySelectorAll("[data-listen]");
  if (!containers.length) {
    return;
  }

  var BLOCKS = "h1, h2, h3, h4, p, li, dt, dd, blockquote, figcaption";
  var SKIP = "form, nav, button, select, script, style, template, .actions, .visually-hidden, " +
    "[hidden], [aria-hidden='true'], [data-listen-skip]";

  function primary(lang) {
    return (lang || "").toLowerCase().split("-")[0];
  }

  function voiceFor(voices, lang) {
    var wanted = primary(lang);
    var exact = null;
    var same = null;
    for (var i = 0; i < voices.length; i += 1) {
      var voiceLang = (voices[i].lang || "").toLowerCase().replace("_", "-");
      if (voiceLang === (lang || "").toLowerCase()) {
        exact = exact || voices[i];
      } else if (primary(voiceLang) === wanted) {
        same = same || voices[i];
      }
    }
    return exact || same;
  }

  function langOf(element) {
    var marked = element.closest("[lang]");
    return marked ? marked.getAttribute("lang") : document.documentElement.lang;
  }

  // The text to read, block by block, each with its language; a block holding other blocks
  // (a list item with a paragraph) is read through them, never twice.
  function parts(container) {
    var result = [];
    container.querySelectorAll(BLOCKS).forEach(function (block) {
      if (block.closest(SKIP) || block.querySelector(BLOCKS)) {
        return;
      }
      var text = (block.textContent || "").replace(/\s+/g, " ").trim();
      if (text) {
        result.push({ text: text, lang: langOf(block) });
      }
    });
    return result;
  }

  function setUp(container, voices) {
    var lang = container.getAttribute("data-listen-lang") || langOf(container);
    if (container.hasAttribute("data-listen-ready") || !voiceFor(voices, lang)) {
      return;
    }
    container.setAttribute("data-listen-ready", "");
    var startLabel = container.getAttribute("data-listen-start") || "Écouter";
    var stopLabel = container.getAttribute("data-listen-stop") || "Arrêter";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary listen-button";
    button.textContent = startLabel;
    var reading = false;

    function stopped() {
      reading = false;
      button.textContent = startLabel;
    }

    button.addEventListener("click", function () {
      synth.cancel();
      if (reading) {
        stopped();
        return;
      }
      var queue = parts(container);
      if (!queue.length) {
        return;
      }
      reading = true;
      button.textContent = stopLabel;
      var available = synth.getVoices();
      queue.forEach(function (part, index) {
        var utterance = new window.SpeechSynthesisUtterance(part.text);
        utterance.lang = part.lang;
        var voice = voiceFor(available, part.lang);
        if (voice) {
          utterance.voice = voice;
        }
        if (index === queue.length - 1) {
          utterance.addEventListener("end", stopped);
        }
        utterance.addEventListener("error", stopped);
        synth.speak(utterance);
      });
    });
    container.parentNode.insertBefore(button, container);
  }

  function setUpAll() {
    var voices = synth.getVoices() || [];
    if (!voices.length) {
      return;
    }
    containers.forEach(function (container) {
      setUp(container, voices);
    });
  }

  setUpAll();
  // Chromium lists its voices only later, and says so with `voiceschanged`.
  if (typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", setUpAll);
  }
  window.addEventListener("pagehide", function () {
    synth.cancel();
  });
})();
