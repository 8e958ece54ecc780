// cliqueclique: reading as in a newsreader. On a thread page, a comment is marked read once its
// text has been on the screen (reported by a POST, never a GET); n and p go to the next and
// previous new comment, j and k to the next and previous comment, r replies, ? lists the keys.
// The unread counts on the page, on Home and in the tab's title follow live. Every page works
// without this file: the counts are then those of the last load.
"use strict";
(function () {
  const body = document.body;
  const csrf = body.dataset.csrf || "";
  const node = body.dataset.node || "";

  // "(3) Tomatoes · cliqueclique": the count in front of the title, or none.
  function setTitleCount(n) {
    const bare = document.title.replace(/^\(\d+\) /, "");
    document.title = n > 0 ? "(" + n + ") " + bare : bare;
  }

  // One stream of the node's events for the header's notification count and Home's counts.
  const events = node && typeof EventSource !== "undefined"
    ? new EventSource("/api/events?node=" + encodeURIComponent(node)) : null;
  // Calls `refresh` a moment after documents arrive, or the tab comes back into view.
  function onArrivals(refresh, delay) {
    let pending = null;
    const soon = function () {
      if (!pending) { pending = setTimeout(function () { pending = null; refresh(); }, delay); }
    };
    events.addEventListener("document_arrived", soon);
    events.addEventListener("lagged", soon);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { soon(); } });
    return soon;
  }

  const badge = document.getElementById("n-notifications");
  if (badge && events) { notificationCount(); }

  const thread = document.querySelector("[data-thread]");
  const tree = document.getElementById("tree");
  if (thread && tree) { threadPage(); }
  const forums = document.querySelector("[data-live-counts]");
  if (forums && events) { homePage(); }

  function threadPage() {
    // Marking read what was shown, in batches.
    const queued = new Set();
    let timer = null;
    function flush(leaving) {
      timer = null;
      if (queued.size === 0) { return; }
      const ids = Array.from(queued);
      queued.clear();
      const data = new URLSearchParams();
      data.set("csrf", csrf);
      data.set("ids", ids.join(" "));
      // Leaving the page: a beacon outlives it, where a fetch would be cancelled.
      if (leaving === true && navigator.sendBeacon && navigator.sendBeacon("/read", data)) { return; }
      fetch("/read", { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          document.dispatchEvent(new Event("cc:read"));
        })
        .catch(function () { ids.forEach(function (id) { queued.add(id); }); });
    }
    function shown(li) {
      if (!li.classList.contains("unread")) { return; }
      li.classList.remove("unread");
      li.classList.add("was-new");
      const mark = li.querySelector(":scope > details > summary .new-mark");
      if (mark) { mark.textContent = "read"; mark.classList.add("done"); }
      queued.add(li.dataset.doc);
      if (!timer) { timer = setTimeout(flush, 400); }
      counts();
    }
    function counts() {
      const n = tree.querySelectorAll("li.comment.unread").length;
      const el = document.getElementById("n-unread");
      if (el) { el.textContent = String(n); }
      setTitleCount(n);
      const next = document.getElementById("next-unread");
      if (next) { next.hidden = n === 0 && tree.querySelectorAll("li.comment.was-new").length === 0; }
    }
    window.addEventListener("pagehide", function () { flush(true); });

    // What stands for a comment's text: its body, or its summary when it has none.
    function textOf(li) {
      return li.querySelector(":scope > details > .body, :scope > details > .retracted-note") ||
        li.querySelector(":scope > details > summary");
    }
    const observer = typeof IntersectionObserver === "undefined" ? null : new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return; }
        const enough = entry.intersectionRatio >= 0.6 ||
          entry.intersectionRect.height >= window.innerHeight * 0.5;
        if (!enough) { return; }
        observer.unobserve(entry.target);
        if (entry.target.parentElement === thread) {
          thread.removeAttribute("data-unread");
          queued.add(thread.dataset.thread);
          if (!timer) { timer = setTimeout(flush, 400); }
          return;
        }
        const li = entry.target.closest("li.comment");
        if (li) { shown(li); }
      });
    }, { threshold: [0, 0.6, 1] });
    function watch() {
      if (!observer) { return; }
      if (thread.hasAttribute("data-unread")) {
        const text = thread.querySelector(":scope > .body");
        if (text) { observer.observe(text); }
      }
      tree.querySelectorAll("li.comment.unread").forEach(function (li) {
        const details = li.querySelector(":scope > details");
        const target = textOf(li);
        if (details && details.open && target) { observer.observe(target); }
      });
    }
    // Opening a collapsed comment shows its text: watch it then.
    tree.addEventListener("toggle", function () { watch(); }, true);
    // The live refresh replaces the tree: keep what this page already marked, and watch anew.
    new MutationObserver(function () {
      queued.forEach(function (id) {
        const li = document.getElementById("c-" + id);
        if (li && li.classList.contains("unread")) { li.classList.remove("unread"); li.classList.add("was-new"); }
      });
      watch();
      counts();
    }).observe(tree, { childList: true });
    watch();
    counts();

    // Moving between comments.
    function visible() {
      return Array.from(tree.querySelectorAll("li.comment")).filter(function (li) {
        return li.offsetParent !== null;
      });
    }
    function current() { return tree.querySelector("li.comment.current"); }
    function go(li) {
      const before = current();
      if (before) { before.classList.remove("current"); }
      li.classList.add("current");
      li.setAttribute("tabindex", "-1");
      li.scrollIntoView({ block: "start" });
      li.focus({ preventScroll: true });
      history.replaceState(null, "", "#" + li.id);
    }
    function step(list, forward) {
      const all = visible();
      const at = current();
      const index = at ? all.indexOf(at) : -1;
      const candidates = list.filter(function (li) { return all.indexOf(li) !== -1; });
      const pick = forward
        ? candidates.find(function (li) { return all.indexOf(li) > index; })
        : candidates.slice().reverse().find(function (li) { return index === -1 || all.indexOf(li) < index; });
      if (pick) { go(pick); }
      return pick;
    }
    function fresh() { return Array.from(tree.querySelectorAll("li.comment.unread, li.comment.was-new")); }
    const keys = document.getElementById("keys");
    const keysButton = document.getElementById("keys-button");
    if (keys && keysButton && typeof keys.showModal === "function") {
      keysButton.hidden = false;
      keysButton.addEventListener("click", function () { keys.showModal(); });
    }
    const nextButton = document.getElementById("next-unread");
    if (nextButton) {
      nextButton.addEventListener("click", function (event) {
        event.preventDefault();
        step(fresh(), true) || step(fresh(), false);
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      const target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
      if (keys && keys.open) { return; }
      switch (event.key) {
        case "n": step(fresh(), true); break;
        case "p": step(fresh(), false); break;
        case "j": step(visible(), true); break;
        case "k": step(visible(), false); break;
        case "r": {
          const at = current();
          const reply = at && at.querySelector(":scope > details > .actions a[href^='/compose']");
          if (reply) { window.location.href = reply.getAttribute("href"); }
          break;
        }
        case "?": if (keys && typeof keys.showModal === "function") { keys.showModal(); } break;
        default: return;
      }
      event.preventDefault();
    });
  }

  function notificationCount() {
    const unread = document.getElementById("n-notifications-unread");
    function refresh() {
      fetch("/api/nodes/" + encodeURIComponent(node) + "/notifications", {
        credentials: "same-origin", headers: { "Accept": "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (found) {
          badge.textContent = String(found.unread);
          badge.hidden = found.unread === 0;
          unread.hidden = found.unread === 0;
        })
        .catch(function () {});
    }
    document.addEventListener("cc:read", onArrivals(refresh, 1000));
    refresh();
  }

  function homePage() {
    function refresh() {
      fetch("/api/nodes/" + encodeURIComponent(node) + "/overview", {
        credentials: "same-origin", headers: { "Accept": "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (overview) {
          let total = 0;
          overview.forums.forEach(function (forum) {
            const li = forums.querySelector("li[data-forum='" + forum.id + "']");
            if (!li) { return; }
            total += forum.unread;
            li.classList.toggle("has-unread", forum.unread > 0);
            li.querySelector(".post-count").textContent = String(forum.documents);
            li.querySelector(".unread-part").hidden = forum.unread === 0;
            li.querySelector(".unread-count").textContent = forum.unread + " unread";
          });
          setTitleCount(total);
        })
        .catch(function () {});
    }
    onArrivals(refresh, 300);
  }
})();
