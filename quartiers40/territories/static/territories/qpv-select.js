/* Quartiers 4.0 – a searchable multiple select (the QPVs where an organisation acts).
 *
 * Enhances <select multiple data-searchable>: a filter box above it narrows the
 * options, a click on an option picks or drops it (no Ctrl needed), and the chosen
 * ones are listed below with a button to remove each. Without JavaScript the plain
 * multiple select works. The texts come from the select's data-* attributes.
 */
(function () {
  "use strict";

  function normalise(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[’']/g, " ")
      .toLowerCase();
  }

  function format(template, count) {
    return template.replace("{count}", count.toLocaleString(document.documentElement.lang || "fr"));
  }

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

  function enhance(select) {
    var labels = select.dataset;
    var id = select.id || "select-" + Math.random().toString(36).slice(2);
    select.id = id;
    var options = Array.prototype.slice.call(select.options);
    var searchable = options.map(function (option) {
      return normalise(option.textContent);
    });

    // The filter box, above the select.
    var filterBox = element("div", { class: "select-filter" });
    var filterLabel = element("label", { for: id + "_filter" }, labels.filterLabel);
    var filterHelp = element("p", { class: "help", id: id + "_filter_help" }, labels.filterHelp);
    var filter = element("input", {
      type: "search",
      id: id + "_filter",
      autocomplete: "off",
      "aria-controls": id,
      "aria-describedby": id + "_filter_help " + id + "_filter_count",
    });
    var count = element("p", {
      class: "help select-filter-count",
      id: id + "_filter_count",
      role: "status",
    });
    filterBox.appendChild(filterLabel);
    filterBox.appendChild(filterHelp);
    filterBox.appendChild(filter);
    filterBox.appendChild(count);
    select.parentNode.insertBefore(filterBox, select);

    // The chosen options, below it.
    var chosenBox = element("div", { class: "select-chosen" });
    var chosenTitle = element("p", { class: "select-chosen-title", id: id + "_chosen" });
    var chosenList = element("ul", { "aria-labelledby": id + "_chosen" });
    var chosenNone = element("p", { class: "muted" }, labels.noneLabel);
    chosenBox.appendChild(chosenTitle);
    chosenBox.appendChild(chosenList);
    chosenBox.appendChild(chosenNone);
    select.parentNode.insertBefore(chosenBox, select.nextSibling);

    // The help text under the label: no Ctrl needed any more.
    var help = document.getElementById(id + "_helptext");
    if (help && labels.clickHelp) {
      help.textContent = labels.clickHelp;
    }

    var countTimer = null;
    function applyFilter() {
      var words = normalise(filter.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option, i) {
        var match = words.every(function (word) {
          return searchable[i].indexOf(word) !== -1;
        });
        option.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      // Announced once typing pauses, not at every key.
      clearTimeout(countTimer);
      countTimer = setTimeout(function () {
        count.textContent = format(shown <= 1 ? labels.countOne : labels.countMany, shown);
      }, 300);
    }

    function renderChosen() {
      var chosen = options.filter(function (option) {
        return option.selected;
      });
      chosenTitle.textContent = format(labels.chosenLabel, chosen.length);
      chosenList.textContent = "";
      chosen.forEach(function (option) {
        var item = element("li");
        item.appendChild(element("span", {}, option.textContent));
        item.appendChild(document.createTextNode(" "));
        var remove = element("button", { type: "button", class: "link-button" });
        remove.appendChild(document.createTextNode(labels.removeLabel));
        remove.appendChild(element("span", { class: "visually-hidden" }, " " + option.textContent));
        remove.addEventListener("click", function () {
          var position = Array.prototype.indexOf.call(chosenList.children, item);
          option.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          // Keep the keyboard focus where it was: the next button, else the previous one.
          var buttons = chosenList.querySelectorAll("button");
          (buttons[position] || buttons[position - 1] || filter).focus();
        });
        item.appendChild(remove);
        chosenList.appendChild(item);
      });
      chosenList.hidden = chosen.length === 0;
      chosenNone.hidden = chosen.length !== 0;
    }

    // A click picks or drops one option, without Ctrl (and without losing the others).
    select.addEventListener("mousedown", function (event) {
      var option = event.target;
      if (option.tagName !== "OPTION" || event.shiftKey || option.disabled) {
        return;
      }
      event.preventDefault();
      var scroll = select.scrollTop;
      option.selected = !option.selected;
      select.focus();
      select.scrollTop = scroll;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    select.addEventListener("change", renderChosen);
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // a filter box does not submit the form
      }
    });

    applyFilter();
    renderChosen();
    select.dataset.enhanced = "true";
  }

  document.querySelectorAll("select[multiple][data-searchable]").forEach(enhance);
})();
