/* Quartiers 4.0 – a short list: "Imprimer" and "Copier le lien" (both shown only with
 * JavaScript; without it, the browser's own print and the link in the box do the same). */
(function () {
  "use strict";

  function start() {
    var print = document.querySelector("[data-print]");
    if (print && window.print) {
      print.hidden = false;
      print.addEventListener("click", function () {
        window.print();
      });
    }
    var copy = document.querySelector("[data-copy]");
    var field = document.querySelector("[data-share-url]");
    var status = document.querySelector("[data-copy-status]");
    if (copy && field && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          status.textContent = copy.dataset.copied;
        });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
