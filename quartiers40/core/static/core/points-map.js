/* Quartiers 4.0 – a map of things placed on their QPVs (projects, défis…), clustered where
 * dense (Leaflet + Leaflet.markercluster, both shipped by the project). An enhancement:
 * the page lists the same QPVs as text, and works without JavaScript.
 *
 * A map is a [data-points-map] element (core/_points_map.html) whose data-* attributes say
 * where the points are (data-points-url), how to link an item (data-url-template, SLUG is
 * replaced), the tiles (data-tile-url) or a plain background, and the words to show.
 * The points' JSON: {"points": [{"code", "name", "lon", "lat", "items": [[title, slug]]}],
 * "url_template": "/…/SLUG/"}.
 */
(function () {
  "use strict";

  var FRANCE = [[41.3, -5.2], [51.1, 9.6]];

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    });
  }

  function plural(count, one, many) {
    return (count === 1 ? one : many).replace("%(count)s", String(count));
  }

  // The circle shows the number; its name (read by screen readers) says what it counts.
  function countIcon(count, name) {
    var size = count < 10 ? 34 : count < 100 ? 40 : 46;
    var box = document.createElement("div");
    var shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    shown.textContent = String(count);
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.textContent = name;
    box.appendChild(shown);
    box.appendChild(spoken);
    return L.divIcon({
      html: box.innerHTML,
      className: "points-map-marker",
      iconSize: L.point(size, size),
    });
  }

  function popupContent(point, template, data) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    title.className = "qpv-popup-title";
    title.textContent = point.name + " (" + point.code + ")";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.className = "points-map-popup-list";
    point.items.forEach(function (item) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = template.replace("SLUG", encodeURIComponent(item[1]));
      link.textContent = item[0];
      entry.appendChild(link);
      list.appendChild(entry);
    });
    box.appendChild(list);
    if (data.qpvUrl) {
      var more = document.createElement("a");
      more.href = data.qpvUrl.replace("QPVCODE", encodeURIComponent(point.code));
      more.textContent = data.labelQpv;
      box.appendChild(more);
    }
    return box;
  }

  function init(element) {
    var data = element.dataset;
    var figure = element.closest("[data-points-map-figure]");
    var status = figure.querySelector("[data-points-map-status]");
    figure.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.5, maxZoom: 18 });
    map.fitBounds(FRANCE);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution, maxZoom: 18 }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(data.labelSource);
    map.zoomControl.getContainer().querySelectorAll("a").forEach(function (link) {
      var label = link.classList.contains("leaflet-control-zoom-in")
        ? data.labelZoomIn
        : data.labelZoomOut;
      link.setAttribute("title", label);
      link.setAttribute("aria-label", label);
    });
    var clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) {
        // A project on several QPVs of the cluster counts once.
        var seen = {};
        var total = 0;
        cluster.getAllChildMarkers().forEach(function (marker) {
          marker.options.slugs.forEach(function (slug) {
            if (!seen[slug]) {
              seen[slug] = true;
              total += 1;
            }
          });
        });
        var name =
          plural(total, data.labelOne, data.labelMany) +
          " " +
          plural(cluster.getChildCount(), data.labelClusterOne, data.labelClusterMany);
        return countIcon(total, name);
      },
    });
    fetchJson(data.pointsUrl)
      .then(function (payload) {
        var template = payload.url_template;
        var bounds = [];
        payload.points.forEach(function (point) {
          var count = point.items.length;
          var name = point.name + " : " + plural(count, data.labelOne, data.labelMany);
          var marker = L.marker([point.lat, point.lon], {
            icon: countIcon(count, name),
            slugs: point.items.map(function (item) {
              return item[1];
            }),
          });
          marker.bindPopup(function () {
            return popupContent(point, template, data);
          });
          clusters.addLayer(marker);
          bounds.push([point.lat, point.lon]);
        });
        map.addLayer(clusters);
        if (bounds.length) {
          map.fitBounds(bounds, { padding: [30, 30], maxZoom: 13 });
        }
        element.dataset.pointsCount = String(payload.points.length);
        element.dataset.ready = "true";
      })
      .catch(function (error) {
        status.textContent = data.labelError;
        if (window.console) {
          console.error(error);
        }
      });
  }

  function start() {
    if (!window.L || !L.markerClusterGroup) {
      return;
    }
    document.querySelectorAll("[data-points-map]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
