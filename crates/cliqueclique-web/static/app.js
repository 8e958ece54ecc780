// cliqueclique: live updates and in-place toggles. Every page works without this file.
"use strict";
(function () {
  const body = document.body;
  const csrf = body.dataset.csrf || "";
  const node = body.dataset.node || "";

  // Toggles: post the flag without leaving the page, then show the new state.
  const labels = {
    read: ["Unread", "✓ Read"],
    bookmarked: ["☆ Bookmark", "★ Bookmarked"],
    subscribed: ["Subscribe", "✓ Subscribed"],
  };
  document.querySelectorAll("form.toggle").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const data = new URLSearchParams(new FormData(form));
      fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
        body: data,
        credentials: "same-origin",
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (flags) {
        const flag = form.elements.flag.value;
        const on = !!flags[flag];
        const button = form.querySelector("button");
        button.dataset.on = String(on);
        button.classList.toggle("on", on);
        button.textContent = labels[flag][on ? 1 : 0];
        form.elements.value.value = String(!on);
      }).catch(function () { form.submit(); });
    });
  });

  if (!node || typeof EventSource === "undefined") { return; }
  const thread = document.querySelector("[data-thread]");
  const network = document.getElementById("network");
  if (!thread && !network) { return; }

  // Remember which comments the reader collapsed, so a refresh keeps them closed.
  function closedIds(tree) {
    const ids = new Set();
    tree.querySelectorAll("li.comment > details:not([open])").forEach(function (d) {
      ids.add(d.parentElement.dataset.doc);
    });
    return ids;
  }

  let pending = null;
  function refreshSoon(fn) {
    if (pending) { return; }
    pending = setTimeout(function () { pending = null; fn(); }, 250);
  }

  function refreshThread() {
    const tree = document.getElementById("tree");
    const before = new Set(Array.from(tree.querySelectorAll("li.comment")).map(function (li) { return li.dataset.doc; }));
    const closed = closedIds(tree);
    fetch("/t/" + thread.dataset.thread + "?fragment=tree", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        tree.innerHTML = html;
        tree.querySelectorAll("li.comment").forEach(function (li) {
          if (!before.has(li.dataset.doc)) { li.classList.add("arrived"); }
          if (closed.has(li.dataset.doc)) { li.querySelector("details").removeAttribute("open"); }
        });
        const count = function (id, css) {
          const el = document.getElementById(id);
          if (el) { el.textContent = String(tree.querySelectorAll(css).length); }
        };
        count("n-comments", "li.comment");
        count("n-unread", "li.comment.unread");
        const none = document.getElementById("no-comments");
        if (none && tree.children.length > 0) { none.remove(); }
      }).catch(function () {});
  }

  function refreshNetwork() {
    fetch("/d/" + network.dataset.doc + "/network.svg", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (svg) { network.innerHTML = svg; })
      .catch(function () {});
  }

  const events = new EventSource("/api/events?node=" + encodeURIComponent(node));
  const live = document.getElementById("live");
  events.onopen = function () { if (live) { live.hidden = false; } };
  events.onerror = function () { if (live) { live.hidden = true; } };
  function onEvent() {
    if (thread) { refreshSoon(refreshThread); }
    if (network) { refreshSoon(refreshNetwork); }
  }
  events.addEventListener("document_arrived", onEvent);
  events.addEventListener("state_changed", function () { if (network) { refreshSoon(refreshNetwork); } });
  events.addEventListener("lagged", onEvent);
})();
