// Live cat labels on the owner's pages (the photo page, the upload page).
// The server renders every badge; this swaps in the new one when the label
// arrives: pushed over the site's WebSocket (/ws/gallery/labels/) where the
// server says push reaches this process (data-label-push="socket"), polled from
// the photo's label URL otherwise, or when the socket closes.
(function () {
  "use strict";
  const watched = new Map(); // photo id -> label URL
  let mode = "";
  let pollTimer = null;

  function replaceBadges(message) {
    document.querySelectorAll('[data-label-badge="' + message.photo + '"]').forEach(function (badge) {
      const holder = document.createElement("template");
      holder.innerHTML = String(message.badge || "").trim();
      const fresh = holder.content.firstElementChild;
      if (fresh) badge.replaceWith(fresh);
    });
  }

  function apply(message) {
    const id = String(message.photo);
    if (!watched.has(id)) return;
    replaceBadges(message);
    if (message.status === "pending") return;
    watched.delete(id);
    document.documentElement.dataset.labelUpdatedBy = message.via;
    document.dispatchEvent(new CustomEvent("gallery:label", { detail: message }));
  }

  function poll() {
    if (!watched.size) { clearInterval(pollTimer); pollTimer = null; return; }
    watched.forEach(function (url) {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (message) { if (message) { message.via = "poll"; apply(message); } })
        .catch(function () { /* try again at the next tick */ });
    });
  }

  function startPolling() {
    if (!pollTimer && watched.size) pollTimer = setInterval(poll, 3000);
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    let socket;
    try {
      socket = new WebSocket(scheme + window.location.host + "/ws/gallery/labels/");
    } catch (error) {
      startPolling();
      return;
    }
    socket.addEventListener("open", function () {
      document.documentElement.dataset.labelSocket = "open";
      poll(); // a label that arrived before the socket opened
    });
    socket.addEventListener("message", function (event) {
      let message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (message.type === "label") { message.via = "socket"; apply(message); }
    });
    socket.addEventListener("close", function () {
      document.documentElement.dataset.labelSocket = "closed";
      mode = "poll";
      startPolling();
    });
  }

  function watch(id, url, push) {
    watched.set(String(id), url);
    if (!mode) {
      mode = push === "socket" && "WebSocket" in window ? "socket" : "poll";
      if (mode === "socket") { connect(); return; }
    }
    if (mode === "poll") startPolling();
  }

  window.whiskersLabels = { watch: watch };

  document.querySelectorAll("[data-label-live]").forEach(function (root) {
    const badge = root.querySelector("[data-label-badge]");
    if (badge && badge.dataset.status === "pending") {
      watch(badge.dataset.labelBadge, root.dataset.labelUrl, root.dataset.labelPush);
    }
  });
})();
