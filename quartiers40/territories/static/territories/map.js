/* Quartiers 4.0 – QPV maps (Leaflet). An enhancement: every page says the same in text.
 *
 * A map is a [data-qpv-map] element; its data-* attributes (territories/_map.html) say
 * what to show: every QPV as a point (data-points-url), their perimeters once zoomed in
 * (data-perimeters-url), one outlined perimeter (data-geometry: a json_script id), a
 * marker (data-marker="lon,lat"), the initial view (data-bounds="w,s,e,n"), tiles
 * (data-tile-url) or a plain background, and a form to fill on click (data-pick-form).
 */
(function () {
  "use strict";

  var FRANCE = [[41.3, -5.2], [51.1, 9.6]];
  var PERIMETERS_MIN_ZOOM = 12;
  var MAX_SPAN = 2; // degrees: the server's limit for one perimeters request
  var GRID = 0.05; // perimeter windows are snapped to it, so that they cache well
  var BLUE = "#0a4f8c";
  var ORANGE = "#b3451b";

  function parseNumbers(text) {
    return text.split(",").map(Number);
  }

  function boundsFrom(text) {
    var v = parseNumbers(text);
    return L.latLngBounds([v[1], v[0]], [v[3], v[2]]);
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function detailUrl(template, code) {
    return template.replace("QPVCODE", encodeURIComponent(code));
  }

  function popupContent(data, code, name) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    title.className = "qpv-popup-title";
    title.textContent = name + " (" + code + ")";
    var link = document.createElement("a");
    link.href = detailUrl(data.detailUrl, code);
    link.textContent = data.labelOpen;
    box.appendChild(title);
    box.appendChild(link);
    return box;
  }

  function showStatus(element, text) {
    var figure = element.closest("[data-qpv-map-figure]");
    var status = figure && figure.querySelector("[data-qpv-map-status]");
    if (status) {
      status.textContent = text;
    }
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    });
  }

  function pointStyle(found, code) {
    if (!found) {
      return { radius: 4, fillColor: BLUE, fillOpacity: 0.9 };
    }
    return found.has(code)
      ? { radius: 6, fillColor: ORANGE, fillOpacity: 1 }
      : { radius: 3, fillColor: BLUE, fillOpacity: 0.4 };
  }

  function addPoints(map, element, data, found) {
    var interactive = data.interactive === "true";
    var layer = L.layerGroup();
    fetchJson(data.pointsUrl)
      .then(function (payload) {
        var rows = payload.qpvs;
        if (found) {
          // The QPVs found are drawn last, above the others.
          rows = rows.filter(function (row) {
            return !found.has(row[0]);
          }).concat(
            rows.filter(function (row) {
              return found.has(row[0]);
            })
          );
        }
        rows.forEach(function (row) {
          var style = pointStyle(found, row[0]);
          var marker = L.circleMarker([row[3], row[2]], {
            radius: style.radius,
            weight: 1,
            color: "#ffffff",
            fillColor: style.fillColor,
            fillOpacity: style.fillOpacity,
            interactive: interactive,
          });
          if (interactive) {
            marker.bindPopup(function () {
              return popupContent(data, row[0], row[1]);
            });
          }
          layer.addLayer(marker);
        });
        element.dataset.pointsCount = String(payload.qpvs.length);
        toggle();
      })
      .catch(function () {
        showStatus(element, data.labelError);
      });

    // Points until the perimeters take over.
    function toggle() {
      if (map.getZoom() >= PERIMETERS_MIN_ZOOM) {
        map.removeLayer(layer);
      } else if (!map.hasLayer(layer)) {
        layer.addTo(map);
      }
    }
    map.on("zoomend", toggle);
  }

  function snappedWindow(bounds) {
    var west = Math.max(-180, Math.floor(bounds.getWest() / GRID) * GRID);
    var south = Math.max(-90, Math.floor(bounds.getSouth() / GRID) * GRID);
    var east = Math.min(180, Math.ceil(bounds.getEast() / GRID) * GRID);
    var north = Math.min(90, Math.ceil(bounds.getNorth() / GRID) * GRID);
    return [west, south, east, north].map(function (value) {
      return Number(value.toFixed(2));
    });
  }

  function addPerimeters(map, element, data, found) {
    var interactive = data.interactive === "true";
    var layer = L.geoJSON(null, {
      interactive: interactive,
      style: function (feature) {
        var color = found && found.has(feature.properties.code) ? ORANGE : BLUE;
        return { color: color, weight: 2, fillColor: color, fillOpacity: 0.12 };
      },
      onEachFeature: function (feature, shape) {
        if (interactive) {
          shape.bindPopup(function () {
            return popupContent(data, feature.properties.code, feature.properties.name);
          });
        }
      },
    }).addTo(map);
    var loaded = null; // the window of the perimeters shown
    var pending = 0;

    function refresh() {
      if (map.getZoom() < PERIMETERS_MIN_ZOOM) {
        layer.clearLayers();
        loaded = null;
        return;
      }
      var view = map.getBounds();
      if (loaded && loaded.contains(view)) {
        return;
      }
      var box = snappedWindow(view.pad(0.3));
      if (box[2] - box[0] > MAX_SPAN || box[3] - box[1] > MAX_SPAN) {
        box = snappedWindow(view);
        if (box[2] - box[0] > MAX_SPAN || box[3] - box[1] > MAX_SPAN) {
          return;
        }
      }
      var request = ++pending;
      var separator = data.perimetersUrl.indexOf("?") === -1 ? "?" : "&";
      fetchJson(data.perimetersUrl + separator + "bbox=" + box.join(","))
        .then(function (collection) {
          if (request !== pending) {
            return; // a later window was asked for meanwhile
          }
          layer.clearLayers();
          layer.addData(collection);
          loaded = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
          element.dataset.perimetersCount = String(collection.features.length);
        })
        .catch(function () {
          showStatus(element, data.labelError);
        });
    }
    map.on("moveend", refresh);
    refresh();
  }

  function addPicking(map, data) {
    var form = document.getElementById(data.pickForm);
    if (!form) {
      return;
    }
    var timer = null;
    map.getContainer().classList.add("qpv-map-pick");
    map.on("click", function (event) {
      clearTimeout(timer);
      // Wait a little: a double click zooms, it does not pick twice.
      timer = setTimeout(function () {
        var point = event.latlng.wrap();
        fillAndSubmit(form, point.lat, point.lng);
      }, 300);
    });
    map.on("dblclick", function () {
      clearTimeout(timer);
    });
  }

  function fillAndSubmit(form, lat, lon) {
    form.elements.latitude.value = lat.toFixed(6);
    form.elements.longitude.value = lon.toFixed(6);
    if (form.elements.adresse) {
      form.elements.adresse.value = "";
    }
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  function setUp(element) {
    var data = element.dataset;
    var figure = element.closest("[data-qpv-map-figure]");
    if (figure) {
      figure.hidden = false;
    }
    var map = L.map(element, {
      zoomControl: false,
      attributionControl: false,
      preferCanvas: true,
      minZoom: 2,
      maxZoom: 18,
      worldCopyJump: true,
    });
    L.control.zoom({ zoomInTitle: data.labelZoomIn, zoomOutTitle: data.labelZoomOut }).addTo(map);
    L.control
      .attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' })
      .addAttribution(escapeHtml(data.labelSource))
      .addTo(map);
    if (data.tileUrl) {
      // The attribution is a setting, written by the site's operators (it holds links).
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", data.labelClose);
      }
    });

    // The outlined QPV and the marker stay above the perimeters, reloaded as the map moves.
    map.createPane("qpvHighlight").style.zIndex = 450;
    var outline = null;
    if (data.geometry) {
      var source = document.getElementById(data.geometry);
      if (source) {
        outline = L.geoJSON(JSON.parse(source.textContent), {
          interactive: false,
          pane: "qpvHighlight",
          style: { color: ORANGE, weight: 3, fillColor: ORANGE, fillOpacity: 0.2 },
        });
      }
    }
    if (data.bounds) {
      map.fitBounds(boundsFrom(data.bounds), { padding: [24, 24], maxZoom: 16 });
    } else if (outline) {
      map.fitBounds(outline.getBounds(), { padding: [24, 24], maxZoom: 16 });
    } else {
      map.fitBounds(FRANCE);
    }

    var found = null;
    if (data.found && document.getElementById(data.found)) {
      found = new Set(JSON.parse(document.getElementById(data.found).textContent));
    }
    if (data.pointsUrl) {
      addPoints(map, element, data, found);
    }
    if (data.perimetersUrl) {
      addPerimeters(map, element, data, found);
    }
    if (outline) {
      outline.addTo(map);
    }
    if (data.marker) {
      var lonLat = parseNumbers(data.marker);
      L.circleMarker([lonLat[1], lonLat[0]], {
        radius: 8,
        weight: 3,
        color: "#1d1d1f",
        fillColor: "#ffbf47",
        fillOpacity: 1,
        interactive: false,
        pane: "qpvHighlight",
      }).addTo(map);
    }
    if (data.pickForm) {
      addPicking(map, data);
    }
    // State for people's tools and for the tests: the zoom level, and that the map is up.
    map.on("zoomend", function () {
      element.dataset.zoom = String(map.getZoom());
    });
    element.dataset.zoom = String(map.getZoom());
    element.dataset.ready = "true";
  }

  function setUpGeolocation(button) {
    var form = document.getElementById(button.dataset.geolocateForm);
    if (!form || !navigator.geolocation) {
      return;
    }
    var status = form.querySelector("[data-geolocate-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      if (status) {
        status.textContent = button.dataset.labelWait;
      }
      navigator.geolocation.getCurrentPosition(
        function (position) {
          fillAndSubmit(form, position.coords.latitude, position.coords.longitude);
        },
        function () {
          if (status) {
            status.textContent = button.dataset.labelError;
          }
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  document.querySelectorAll("[data-geolocate]").forEach(setUpGeolocation);
  if (window.L) {
    document.querySelectorAll("[data-qpv-map]").forEach(setUp);
  }
})();
