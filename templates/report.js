// Filtering and sorting of the 问题清单, offline, no library.  Rows are rendered server-side;
// this only hides/reorders them.  Loaded under a hash-pinned CSP: no inline handlers anywhere.
(function () {
  "use strict";
  var table = document.getElementById("finding-table");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var search = document.getElementById("filter-text");
  var counter = document.getElementById("filter-count");
  // Keyword search sees the full addresses too, not only the shortened ones on screen.
  var searchText = rows.map(function (row) {
    var titles = Array.prototype.map.call(row.querySelectorAll("[title]"), function (e) { return e.title; });
    return (row.textContent + " " + titles.join(" ")).toLowerCase();
  });

  function matches(row, skip) {
    return selects.every(function (s) {
      return s === skip || !s.value || row.dataset[s.dataset.filter] === s.value;
    });
  }

  // Offer only the options that still match something, given the other filters.
  function narrowOptions() {
    selects.forEach(function (s) {
      var live = {};
      rows.forEach(function (row) { if (matches(row, s)) { live[row.dataset[s.dataset.filter]] = true; } });
      Array.prototype.forEach.call(s.options, function (o) { o.hidden = o.value !== "" && !live[o.value]; });
    });
  }

  function apply() {
    var q = search ? search.value.trim().toLowerCase() : "";
    var shown = 0;
    rows.forEach(function (row, i) {
      var ok = matches(row, null) && (!q || searchText[i].indexOf(q) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    counter.textContent = shown === rows.length ? "共 " + rows.length + " 条" : "显示 " + shown + " / " + rows.length + " 条";
    narrowOptions();
  }

  function sortBy(th) {
    var index = th.cellIndex;
    var numeric = th.dataset.sort === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows.map(function (row, i) {
      var text = row.cells[index].textContent.trim();
      return { row: row, key: numeric ? parseFloat(text) || 0 : text, i: i };
    });
    keyed.sort(function (a, b) {
      var d = numeric ? a.key - b.key : a.key.localeCompare(b.key, "zh-CN");
      return (ascending ? d : -d) || a.i - b.i;
    });
    keyed.forEach(function (k) { tbody.appendChild(k.row); });
  }

  selects.forEach(function (s) { s.addEventListener("change", apply); });
  if (search) { search.addEventListener("input", apply); }
  document.getElementById("filter-reset").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ""; });
    if (search) { search.value = ""; }
    apply();
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    if (th.dataset.sort) { th.addEventListener("click", function () { sortBy(th); }); }
  });
  // Clicking a unit in the chart or the unit table filters the list to that unit.
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-unit]"), function (el) {
    el.addEventListener("click", function (event) {
      var unitSelect = document.getElementById("filter-unit");
      var unit = el.getAttribute("data-filter-unit");
      if (!Array.prototype.some.call(unitSelect.options, function (o) { return o.value === unit; })) { return; }
      event.preventDefault();
      selects.forEach(function (s) { s.value = ""; });
      unitSelect.value = unit;
      apply();
      document.getElementById("list").scrollIntoView();
    });
  });
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  apply();
}());
