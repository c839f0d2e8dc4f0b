/* Quartiers 4.0 – the place picker: type a commune, a postcode or a quartier, pick QPVs.
 *
 * Enhances [data-qpv-picker] (territories/widgets/qpv_picker.html) into the ARIA 1.2
 * combobox pattern: the text box (role=combobox) drives a listbox of suggestions from
 * data-suggest-url; arrows move, Enter picks, Escape closes; the number found is
 * announced in a status region. A picked quartier joins the ticked boxes named like
 * the field. The buttons that work without JavaScript (GET steps) are removed.
 */
(function () {
  "use strict";

  var DELAY_MS = 180;
  var MIN_LENGTH = 2;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function enhance(root) {
    var texts = root.dataset;
    var name = root.dataset.name;
    var input = root.querySelector(".qpv-picker-input");
    var box = root.querySelector(".qpv-picker-suggestions");
    var listbox = box.querySelector("[role=listbox]");
    var status = root.querySelector("[role=status]");
    var chosenSet = root.querySelector(".qpv-picker-chosen");
    var chosenList = root.querySelector("[data-chosen-list]");
    var results = [];
    var active = -1;
    var timer = null;
    var request = null;

    // Without JavaScript these do a GET round trip; here the combobox replaces them.
    root.querySelectorAll(".qpv-picker-noscript").forEach(function (node) {
      node.remove();
    });
    input.removeAttribute("name");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function announce(message) {
      status.textContent = message;
    }

    function countText(count) {
      if (count === 0) return texts.countnone;
      if (count === 1) return texts.countone;
      return texts.countmany.replace("{count}", count.toLocaleString(document.documentElement.lang || "fr"));
    }

    function close() {
      box.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var options = listbox.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function isChosen(id) {
      return Boolean(chosenList.querySelector('input[value="' + id + '"]'));
    }

    function choose(index) {
      var qpv = results[index];
      if (!qpv) return;
      var existing = chosenList.querySelector('input[value="' + qpv.id + '"]');
      if (existing) {
        existing.checked = true;
        announce(texts.already);
      } else {
        var id = input.id + "_chosen_" + qpv.id;
        var item = element("li");
        var box_ = element("input", { type: "checkbox", name: name, value: String(qpv.id), id: id });
        box_.checked = true;
        var label = element("label", { for: id }, qpv.name + " ");
        label.appendChild(element("span", { class: "muted" }, "– " + qpv.place));
        item.appendChild(box_);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(label);
        chosenList.appendChild(item);
        chosenSet.hidden = false;
        announce(texts.added.replace("{name}", qpv.name));
      }
      input.value = "";
      close();
      input.focus();
    }

    function render(items) {
      results = items;
      listbox.textContent = "";
      items.forEach(function (qpv, i) {
        var option = element("li", {
          role: "option",
          id: input.id + "_option_" + i,
          "aria-selected": "false",
        });
        option.appendChild(element("span", { class: "qpv-picker-name" }, qpv.name));
        option.appendChild(element("span", { class: "qpv-picker-place" }, qpv.place + (isChosen(qpv.id) ? " ✓" : "")));
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the text box
        });
        option.addEventListener("click", function () {
          choose(i);
        });
        listbox.appendChild(option);
      });
      box.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
      announce(countText(items.length));
    }

    function search() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        results = [];
        listbox.textContent = "";
        close();
        return;
      }
      if (request) request.abort();
      request = new AbortController();
      fetch(root.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: request.signal,
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          render(data.qpvs || []);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") announce(texts.error);
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !box.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && results.length) {
          box.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        setActive(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) setActive(active - 1);
      } else if (event.key === "Enter") {
        // Never send the whole form from this box.
        event.preventDefault();
        if (open && active >= 0) choose(active);
        else if (open && results.length === 1) choose(0);
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else {
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 120);
    });
    input.addEventListener("focus", function () {
      if (results.length && input.value.trim().length >= MIN_LENGTH) {
        box.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
  }

  function start() {
    document.querySelectorAll("[data-qpv-picker]").forEach(function (root) {
      if (!root.dataset.enhanced) {
        root.dataset.enhanced = "true";
        enhance(root);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
