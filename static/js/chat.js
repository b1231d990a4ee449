// Live chat for one room.
//
// Messages arrive over a WebSocket; when it can't connect or drops, the page polls
// the API (?after=<last seq>) until the socket is back. Every message has a seq
// (1, 2, 3… per room, no gaps): the page shows each seq exactly once and in order,
// and fetches any it missed from the API. Messages come as server-rendered HTML
// (chat/_message.html), never rebuilt here. Posting goes through the API with an
// Idempotency-Key, so a retry never posts twice; without JavaScript the form posts.
(function () {
  "use strict";
  const room = document.getElementById("chat-room");
  if (!room) return;
  const log = document.getElementById("chat-log");
  const form = document.getElementById("chat-form");
  const status = document.getElementById("chat-status");
  const errorBox = document.getElementById("chat-error");
  const onlineList = document.getElementById("chat-online-list");
  const typingBox = document.getElementById("chat-typing");
  const olderButton = document.getElementById("chat-older");
  const textarea = form ? form.querySelector("textarea") : null;
  const api = room.dataset.api;
  const me = room.dataset.user;
  const POLL_EVERY = 3000;
  const GAP_WAIT = 300; // a missing seq may still arrive out of order
  const TYPING_EVERY = 2500;
  const TYPING_SHOWN = 4000;

  let lastSeq = Number(room.dataset.lastSeq) || 0;
  let firstSeq = Number(room.dataset.firstSeq) || 0;
  const pending = new Map(); // seq -> message, waiting for the seqs before it
  let socket = null;
  let retryDelay = 1000;
  let pollTimer = null;
  let gapTimer = null;
  let fetching = false;
  let fetchAgain = false;
  let stopped = false;
  let typingSentAt = 0;
  const typists = new Map(); // name -> timer

  function setStatus(mode, text) {
    status.dataset.mode = mode;
    status.textContent = text;
  }

  function nearBottom() { return log.scrollHeight - log.scrollTop - log.clientHeight < 80; }
  function scrollToBottom() { log.scrollTop = log.scrollHeight; }

  function showError(text) {
    if (!errorBox) return;
    errorBox.textContent = text;
    errorBox.classList.toggle("d-block", Boolean(text));
  }

  function fromHTML(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function prepare(node) {
    // Members don't report their own messages.
    if (me && node.dataset.author === me) {
      const report = node.querySelector(".chat-report");
      if (report) report.remove();
    }
    return node;
  }

  function removeSeq(seq) {
    const node = log.querySelector('.chat-message[data-seq="' + Number(seq) + '"]');
    if (node) node.remove();
  }

  // Showing messages: each seq once, in order.

  function show(message) {
    if (message.deleted) { removeSeq(message.seq); return; }
    if (log.querySelector('.chat-message[data-seq="' + message.seq + '"]')) return;
    const empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    const stick = nearBottom();
    log.appendChild(prepare(fromHTML(message.html)));
    stopTyping(message.author);
    if (stick) scrollToBottom();
  }

  function accept(message) {
    if (message.seq <= lastSeq || pending.has(message.seq)) return;
    pending.set(message.seq, message);
    while (pending.has(lastSeq + 1)) {
      const next = pending.get(lastSeq + 1);
      pending.delete(lastSeq + 1);
      lastSeq += 1;
      show(next);
    }
    if (pending.size) scheduleCatchUp(GAP_WAIT);
  }

  function scheduleCatchUp(delay) {
    if (gapTimer) return;
    gapTimer = window.setTimeout(function () { gapTimer = null; catchUp(); }, delay);
  }

  class HTTPError extends Error {
    constructor(response, data) {
      super((data && data.error) || "The server answered " + response.status + ".");
      this.status = response.status;
      this.retryAfter = Number(response.headers.get("Retry-After")) || 0;
    }
  }

  async function request(url, options) {
    const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options));
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (!response.ok) throw new HTTPError(response, data);
    return data;
  }

  async function catchUp() {
    // Fetch every message after the last one shown: gaps, polling, reconnects.
    if (stopped) return;
    if (fetching) { fetchAgain = true; return; }
    fetching = true;
    try {
      let more = true;
      while (more && !stopped) {
        const data = await request(api + "?after=" + lastSeq + "&limit=100");
        data.messages.forEach(accept);
        more = data.has_more && data.messages.length > 0;
      }
      if (pollTimer) setStatus("polling", "Polling");
    } catch (error) {
      if (error.status === 401 || error.status === 403 || error.status === 404) {
        stop(error.message);
        return;
      }
      if (!socket || socket.readyState !== WebSocket.OPEN) setStatus("offline", "Offline: retrying…");
    } finally {
      fetching = false;
    }
    if (fetchAgain) { fetchAgain = false; catchUp(); }
    else if (pending.size) scheduleCatchUp(1000);
  }

  // Polling: the fallback while the WebSocket is down.

  function startPolling() {
    if (pollTimer || stopped) return;
    setStatus("polling", "Polling");
    pollTimer = window.setInterval(catchUp, POLL_EVERY);
    catchUp();
  }

  function stopPolling() {
    if (pollTimer) window.clearInterval(pollTimer);
    pollTimer = null;
  }

  function stop(reason) {
    stopped = true;
    stopPolling();
    if (socket) socket.close();
    setStatus("stopped", "Not available");
    status.title = reason || "";
    showError(reason || "This room is not available.");
    if (form) form.querySelectorAll("textarea, button").forEach(function (el) { el.disabled = true; });
  }

  // The WebSocket

  function retryLater() {
    startPolling(); // keep up while the socket is away
    // Back off to at most 10 s (polling keeps the page current meanwhile), with
    // a little jitter so a restarted server isn't hit by every page at once.
    window.setTimeout(connect, retryDelay + Math.random() * 1000);
    retryDelay = Math.min(retryDelay * 2, 10000);
  }

  function connect() {
    if (stopped) return;
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    let ws;
    try {
      ws = new WebSocket(scheme + window.location.host + room.dataset.socketPath);
    } catch (error) {
      // Refused outright (a policy, a browser setting): poll, and try again later.
      socket = null;
      retryLater();
      return;
    }
    socket = ws;
    if (!pollTimer) setStatus("connecting", "Connecting…");
    ws.addEventListener("open", function () {
      retryDelay = 1000;
      stopPolling();
      setStatus("live", "Live");
    });
    ws.addEventListener("message", function (event) {
      if (ws !== socket) return;
      let frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      receive(frame);
    });
    ws.addEventListener("close", function (event) {
      if (ws !== socket) return;
      socket = null;
      if (event.code === 4403 || event.code === 4404) { stop(event.reason || "This room is not available."); return; }
      if (stopped) return;
      retryLater();
    });
  }

  function receive(frame) {
    if (frame.type === "message") accept(frame.message);
    else if (frame.type === "messages") frame.messages.forEach(accept);
    else if (frame.type === "hello") {
      renderOnline(frame.online);
      // Missed something while away (or before the socket opened): fetch it.
      if (frame.last_seq > lastSeq) catchUp();
    } else if (frame.type === "deleted") removeSeq(frame.seq);
    else if (frame.type === "presence") renderOnline(frame.online);
    else if (frame.type === "typing") showTyping(frame.name);
    else if (frame.type === "ping") socket.send(JSON.stringify({ type: "pong" }));
    else if (frame.type === "error") showError(frame.error);
  }

  // Presence and typing

  function renderOnline(members) {
    if (!onlineList || !Array.isArray(members)) return;
    onlineList.replaceChildren();
    if (!members.length) {
      const none = document.createElement("span");
      none.className = "chat-online-none";
      none.textContent = "No members online";
      onlineList.appendChild(none);
    }
    members.forEach(function (member) {
      const link = document.createElement("a");
      link.className = "chat-online-member";
      link.href = member.url;
      link.textContent = member.name;
      onlineList.appendChild(link);
    });
  }

  function renderTyping() {
    const names = Array.from(typists.keys());
    if (!names.length) typingBox.textContent = "";
    else if (names.length === 1) typingBox.textContent = names[0] + " is typing…";
    else if (names.length === 2) typingBox.textContent = names[0] + " and " + names[1] + " are typing…";
    else typingBox.textContent = "Several people are typing…";
  }

  function showTyping(name) {
    if (!typingBox || !name) return;
    window.clearTimeout(typists.get(name));
    typists.set(name, window.setTimeout(function () { stopTyping(name); }, TYPING_SHOWN));
    renderTyping();
  }

  function stopTyping(name) {
    if (!typingBox || !typists.has(name)) return;
    window.clearTimeout(typists.get(name));
    typists.delete(name);
    renderTyping();
  }

  // History: "Load older messages"

  async function loadOlder() {
    olderButton.disabled = true;
    try {
      const data = await request(api + "?before=" + firstSeq + "&limit=50");
      const height = log.scrollHeight;
      const anchor = olderButton.parentElement.nextSibling;
      data.messages.forEach(function (message) {
        if (message.deleted || log.querySelector('.chat-message[data-seq="' + message.seq + '"]')) return;
        log.insertBefore(prepare(fromHTML(message.html)), anchor);
      });
      if (data.messages.length) firstSeq = data.messages[0].seq;
      log.scrollTop += log.scrollHeight - height;
      olderButton.hidden = !data.has_more;
    } catch (error) {
      showError(error.message);
    } finally {
      olderButton.disabled = false;
    }
  }

  // Posting, reporting

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function sleep(ms) { return new Promise(function (resolve) { window.setTimeout(resolve, ms); }); }

  async function post(text) {
    // One Idempotency-Key for every try: a retry after a lost answer posts once.
    const key = newKey();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await request(api, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": room.dataset.csrf, "Idempotency-Key": key },
          body: JSON.stringify({ body: text }),
        });
      } catch (error) {
        const retryable = !(error instanceof HTTPError) || error.status >= 500;
        if (!retryable || attempt >= 3) throw error;
        await sleep(1000 * 2 ** attempt);
      }
    }
  }

  if (form && textarea) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const text = textarea.value.trim();
      if (!text) { showError("A message can't be empty."); return; }
      showError("");
      textarea.value = "";
      textarea.focus();
      try {
        accept(await post(text));
      } catch (error) {
        showError(error instanceof HTTPError ? error.message : "Not sent: the server can't be reached.");
        // Give the sender their text back to fix or resend.
        if (!textarea.value) textarea.value = text;
      }
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    textarea.addEventListener("input", function () {
      const now = Date.now();
      if (socket && socket.readyState === WebSocket.OPEN && now - typingSentAt > TYPING_EVERY) {
        typingSentAt = now;
        socket.send(JSON.stringify({ type: "typing" }));
      }
    });
  }

  log.addEventListener("click", async function (event) {
    const link = event.target.closest(".chat-report");
    if (!link || !me) return;
    event.preventDefault();
    const row = link.closest(".chat-message");
    const reason = window.prompt("Report this message to the moderators. Why? (optional)");
    if (reason === null) return;
    try {
      await request(api + row.dataset.seq + "/report/", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": room.dataset.csrf },
        body: JSON.stringify({ reason: reason }),
      });
      link.replaceWith(Object.assign(document.createElement("span"), { className: "chat-reported", textContent: "Reported" }));
    } catch (error) {
      showError(error.message);
    }
  });

  if (olderButton) {
    olderButton.hidden = false;
    olderButton.addEventListener("click", loadOlder);
  }
  log.querySelectorAll(".chat-message").forEach(prepare);
  scrollToBottom();
  if ("WebSocket" in window) connect();
  else startPolling();
})();
