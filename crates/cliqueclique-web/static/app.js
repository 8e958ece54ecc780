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
    thread: ["Follow", "✓ Following"],
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
        const on = flag === "thread" ? !!(flags.subscribed && flags.thread) : !!flags[flag];
        const button = form.querySelector("button");
        button.dataset.on = String(on);
        button.classList.toggle("on", on);
        button.textContent = labels[flag][on ? 1 : 0];
        form.elements.value.value = String(!on);
      }).catch(function () { form.submit(); });
    });
  });

  // Opening a document marks it read, by a POST: a GET never changes state.
  const readForm = document.getElementById("read-on-open");
  if (readForm) {
    fetch(readForm.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      body: new URLSearchParams(new FormData(readForm)),
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) { return; }
      const button = document.getElementById("toggle-read");
      if (button) {
        button.dataset.on = "true";
        button.classList.add("on");
        button.textContent = labels.read[1];
        button.form.elements.value.value = "false";
      }
    }).catch(function () {});
  }

  // A thread this node does not follow is fetched whole once when its page opens; the live
  // updates below then show the replies as they arrive.
  const fetchForm = document.getElementById("fetch-thread");
  if (fetchForm) {
    fetch(fetchForm.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      body: new URLSearchParams(new FormData(fetchForm)),
      credentials: "same-origin",
    }).then(function (response) {
      if (response.ok) { fetchForm.querySelector("button").textContent = "Fetching the whole thread…"; }
    }).catch(function () {});
  }

  // A directory's browse page: the names below the prefix as you type, from the JSON API. A
  // lookup that has to wait for levels from peers answers 504 after a few seconds; what it
  // subscribed to stays, so asking again goes on from there while the page says "searching".
  const browse = document.getElementById("browse");
  if (browse && node) {
    document.documentElement.classList.add("js");
    const root = browse.dataset.root;
    const form = document.getElementById("prefix-form");
    const input = document.getElementById("prefix");
    const list = document.getElementById("names");
    const more = document.getElementById("more");
    const none = document.getElementById("no-names");
    const searching = document.getElementById("searching");
    const failed = document.getElementById("browse-error");
    let generation = 0;
    let timer = null;
    const pageUrl = function (prefix, after) {
      let url = "/dir/" + encodeURIComponent(root) + "?prefix=" + encodeURIComponent(prefix);
      if (after) { url += "&after=" + encodeURIComponent(after); }
      return url;
    };
    const show = function (names, append) {
      if (!append) { list.textContent = ""; }
      names.forEach(function (n) {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "/d/" + encodeURIComponent(n.target);
        a.textContent = n.name;
        li.appendChild(a);
        list.appendChild(li);
      });
    };
    const lookup = function (prefix, after, append, gen, tries) {
      searching.hidden = false;
      failed.hidden = true;
      let url = "/api/nodes/" + encodeURIComponent(node) + "/directories/" + encodeURIComponent(root) +
        "/names?limit=20&timeout_ms=4000&prefix=" + encodeURIComponent(prefix);
      if (after) { url += "&after=" + encodeURIComponent(after); }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) {
          if (gen !== generation) { return null; }
          // Still waiting for levels from peers: ask again, for about half a minute.
          if (r.status === 504 && tries < 8) {
            setTimeout(function () { if (gen === generation) { lookup(prefix, after, append, gen, tries + 1); } }, 200);
            return null;
          }
          return r.json().then(function (body) {
            if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
            return body;
          });
        })
        .then(function (page) {
          if (!page || gen !== generation) { return; }
          searching.hidden = true;
          show(page.names, append);
          none.hidden = list.children.length > 0;
          more.hidden = !page.next;
          more.dataset.after = page.next || "";
          more.href = page.next ? pageUrl(prefix, page.next) : "#";
          history.replaceState(null, "", pageUrl(prefix, null));
        })
        .catch(function (e) {
          if (gen !== generation) { return; }
          searching.hidden = true;
          failed.textContent = String((e && e.message) || e);
          failed.hidden = false;
        });
    };
    const fresh = function () {
      generation += 1;
      lookup(input.value, null, false, generation, 0);
    };
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fresh, 300);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      fresh();
    });
    more.addEventListener("click", function (event) {
      event.preventDefault();
      generation += 1;
      lookup(input.value, more.dataset.after || browse.dataset.next, true, generation, 0);
    });
    if (browse.dataset.searching === "true") { fresh(); }
  }

  // Copy buttons: copy the named field's text (the field can be selected by hand without this).
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    const field = document.getElementById(button.dataset.copy);
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      const done = function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      };
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (document.execCommand("copy")) { done(); }
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });

  // The reply form: Quote inserts the parent's text (or the part selected in it) at the caret;
  // Preview renders the text in place, keeping attached files.
  const quote = document.getElementById("quote");
  const editor = document.getElementById("body");
  if (quote && editor) {
    quote.addEventListener("click", function (event) {
      event.preventDefault();
      const all = document.getElementById("quote-text").value;
      const parentBody = document.getElementById("parent-body");
      const selection = window.getSelection();
      let text = all;
      if (selection && !selection.isCollapsed && parentBody.contains(selection.anchorNode)) {
        const first = all.split("\n")[0];
        text = first + "\n" + selection.toString().trim().split("\n").map(function (line) {
          return line ? "> " + line : ">";
        }).join("\n") + "\n\n";
      }
      const at = editor.selectionStart || 0;
      editor.value = editor.value.slice(0, at) + text + editor.value.slice(editor.selectionEnd || at);
      editor.focus();
      editor.selectionStart = editor.selectionEnd = at + text.length;
    });
  }
  const previewButton = document.getElementById("preview-button");
  if (previewButton && editor) {
    previewButton.addEventListener("click", function (event) {
      event.preventDefault();
      const data = new URLSearchParams();
      data.set("csrf", csrf);
      data.set("body", editor.value);
      data.set("content_type", document.getElementById("content_type").value);
      fetch("/compose/preview", { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("the preview failed (" + response.status + ")"); }
          return response.text();
        })
        .then(function (html) {
          document.getElementById("preview").innerHTML = html;
          const box = document.getElementById("preview-box");
          box.hidden = false;
          box.scrollIntoView({ block: "nearest" });
        })
        .catch(function (e) {
          document.getElementById("preview").textContent = String((e && e.message) || e);
          document.getElementById("preview-box").hidden = false;
        });
    });
  }

  // Posting in a forum that requires proof of work: the answer comes only once this computer
  // has computed it, so say what is being done, with the time spent, while the browser waits.
  const workProgress = document.getElementById("work-progress");
  const workNotice = document.getElementById("work-notice");
  if (workProgress && workNotice) {
    workProgress.closest("form").addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.name === "preview") { return; }
      const bits = workNotice.dataset.bits;
      const expected = workNotice.dataset.estimate;
      const started = Date.now();
      const tell = function () {
        const spent = Math.round((Date.now() - started) / 1000);
        workProgress.textContent = "Computing the forum's proof of work (" + bits + " bits): " + spent +
          " s so far (it takes " + expected + " on average). Your post is sent when it is done.";
      };
      tell();
      workProgress.hidden = false;
      workNotice.hidden = true;
      setInterval(tell, 1000);
    });
  }

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
    // The same page and view as the one shown.
    let query = "?fragment=tree&page=" + (tree.dataset.page || "1");
    if (tree.dataset.view) { query += "&view=" + tree.dataset.view; }
    fetch("/t/" + thread.dataset.thread + query, { credentials: "same-origin" })
      .then(function (r) {
        const line = r.headers.get("X-Thread-Completeness");
        const el = document.getElementById("completeness");
        if (line && el) {
          el.textContent = line;
          el.classList.toggle("incomplete", line.indexOf("complete:") !== 0);
        }
        return r.ok ? r.text() : Promise.reject(r.status);
      })
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
