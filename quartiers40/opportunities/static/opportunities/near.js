/* Quartiers 4.0 – "près de chez moi", enhanced: "Me localiser" (the browser's position fills
 * the hidden lat/lon and submits: nothing is sent anywhere else) and suggestions of
 * quartiers while typing (territories:suggestions). Without JavaScript the button is
 * absent and the form works the same with an address, a commune or a postcode. */
(function () {
  "use strict";

  function init(form) {
    var place = form.querySelector(".near-place");
    var lat = form.querySelector('input[name="lat"]');
    var lon = form.querySelector('input[name="lon"]');
    var button = form.querySelector("[data-locate]");
    var status = form.querySelector("[data-locate-status]");
    if (!place || !lat || !lon) {
      return;
    }
    // Typing a place forgets a previous position.
    place.addEventListener("input", function () {
      lat.value = "";
      lon.value = "";
    });
    if (button && navigator.geolocation) {
      button.hidden = false;
      button.addEventListener("click", function () {
        button.disabled = true;
        navigator.geolocation.getCurrentPosition(
          function (position) {
            lat.value = position.coords.latitude.toFixed(5);
            lon.value = position.coords.longitude.toFixed(5);
            place.value = "";
            form.submit();
          },
          function () {
            button.disabled = false;
            status.textContent = button.dataset.error;
          },
          { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
        );
      });
    }
    // Quartiers as suggestions (a datalist: the browser shows them, accessibly).
    var url = form.dataset.suggestUrl;
    if (!url || !window.fetch) {
      return;
    }
    var list = document.createElement("datalist");
    list.id = place.id + "-suggestions";
    form.appendChild(list);
    place.setAttribute("list", list.id);
    var timer = null;
    var last = "";
    place.addEventListener("input", function () {
      var query = place.value.trim();
      if (query.length < 3 || query === last || /\d{5}|\(/.test(query)) {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = query;
        fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) {
            return response.ok ? response.json() : { qpvs: [] };
          })
          .then(function (payload) {
            list.textContent = "";
            payload.qpvs.forEach(function (qpv) {
              var option = document.createElement("option");
              option.value = qpv.name + " (" + qpv.code + ")";
              option.label = qpv.place;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 250);
    });
  }

  function start() {
    document.querySelectorAll("[data-near-form]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
