/* Progressive enhancement of the search page; everything works without it.
 *
 * With JavaScript, the page updates in place: typing in the search box (debounced),
 * ticking a facet value, changing the sort or the year range, and following links inside
 * the results or the filters fetch the same server-rendered page and swap the results and
 * the filters in. The URL follows along (history.pushState), so back/forward, reload and
 * sharing keep working. Long facet lists get a filter box. No other origin is contacted.
 */
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.classList.add("js");

  var TYPING_DELAY_MS = 250;
  var form = doc.getElementById("search-form");
  var results = doc.getElementById("results");
  var filtersBody = doc.getElementById("filters-body");
  var q = doc.getElementById("q");
  var filterTexts = {};

  function initFilterBoxes(root) {
    var boxes = root.querySelectorAll("input.value-filter");
    Array.prototype.forEach.call(boxes, function (box) {
      var list = doc.getElementById(box.getAttribute("data-list"));
      if (!list) { return; }
      box.hidden = false;
      var facet = box.getAttribute("data-facet");
      var apply = function () {
        var needle = box.value.trim().toLowerCase();
        filterTexts[facet] = box.value;
        Array.prototype.forEach.call(list.children, function (li) {
          var text = (li.querySelector(".value") || li).textContent.toLowerCase();
          li.hidden = needle !== "" && text.indexOf(needle) === -1;
        });
      };
      if (filterTexts[facet]) { box.value = filterTexts[facet]; apply(); }
      box.addEventListener("input", apply);
    });
  }

  if (!form || !results || !filtersBody) { return; }  // not the search page

  var details = doc.getElementById("filters-details");
  if (details && window.matchMedia && window.matchMedia("(max-width: 49.99rem)").matches) {
    details.open = false;
  }
  initFilterBoxes(filtersBody);

  var live = doc.getElementById("live");
  var controller = null;
  var timer = null;
  var typing = false;
  var searchPath = new URL(form.action, location.href).pathname;

  function urlFromForm() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim() !== "") { params.append(name, value); }
    });
    var query = params.toString();
    return searchPath + (query ? "?" + query : "");
  }

  function adopt(target, source) {
    var nodes = Array.prototype.slice.call(source.childNodes);  // a copy: adopting empties the live list
    target.replaceChildren.apply(target, nodes.map(function (node) { return doc.adoptNode(node); }));
  }

  function swap(html, url, mode, moveFocus) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var newResults = fresh.getElementById("results");
    var newFilters = fresh.getElementById("filters-body");
    if (!newResults || !newFilters) { location.assign(url); return; }
    var focusedId = doc.activeElement && doc.activeElement.id;
    adopt(results, newResults);
    adopt(filtersBody, newFilters);
    initFilterBoxes(filtersBody);
    var summary = doc.getElementById("filters-summary");
    var newSummary = fresh.getElementById("filters-summary");
    if (summary && newSummary) { summary.textContent = newSummary.textContent; }
    doc.title = fresh.title;
    var newQ = fresh.getElementById("q");
    if (q && newQ && doc.activeElement !== q) { q.value = newQ.value; }
    if (mode === "push") { history.pushState({ webui: 1 }, "", url); }
    if (mode === "replace") { history.replaceState({ webui: 1 }, "", url); }
    shown = location.pathname + location.search;
    var status = doc.getElementById("result-status");
    if (live && status) { live.textContent = status.textContent; }
    if (moveFocus) {
      results.focus();
      results.scrollIntoView({ block: "start" });
    } else if (focusedId && focusedId !== "q") {
      var again = doc.getElementById(focusedId);
      if (again) { again.focus(); }
    }
  }

  function navigate(url, mode, moveFocus) {
    if (controller) { controller.abort(); }
    controller = new AbortController();
    var mine = controller;
    results.setAttribute("aria-busy", "true");
    fetch(url, { signal: mine.signal, headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mine === controller) { swap(html, url, mode, moveFocus); }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        location.assign(url);  // let the browser show whatever went wrong
      })
      .then(function () {
        if (mine === controller) { results.removeAttribute("aria-busy"); }
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    typing = false;
    navigate(urlFromForm(), "push", false);
  });

  if (q) {
    q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        navigate(urlFromForm(), typing ? "replace" : "push", false);
        typing = true;
      }, TYPING_DELAY_MS);
    });
  }

  doc.addEventListener("change", function (event) {
    var el = event.target;
    if (!el || el.form !== form || el === q) { return; }
    typing = false;
    navigate(urlFromForm(), "push", false);
  });

  doc.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || !(results.contains(link) || filtersBody.contains(link))) { return; }
    var target = new URL(link.href, location.href);
    if (target.origin !== location.origin || target.pathname !== searchPath) { return; }
    event.preventDefault();
    typing = false;
    var paging = link.closest(".pagination") !== null;
    navigate(target.pathname + target.search, "push", paging);
  });

  var shown = location.pathname + location.search;
  window.addEventListener("popstate", function () {
    var now = location.pathname + location.search;
    if (now === shown) { return; }  // only the #fragment changed
    typing = false;
    navigate(now, "none", false);
  });
})();
