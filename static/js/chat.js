// Live chat for one room: messages arrive over a WebSocket; sending goes over it
// too when it is open, and falls back to the plain form POST when it is not.
(function () {
  "use strict";
  const room = document.getElementById("chat-room");
  if (!room) return;
  const log = document.getElementById("chat-log");
  const form = document.getElementById("chat-form");
  const status = document.getElementById("chat-status");
  const errorBox = document.getElementById("chat-error");
  const textarea = form ? form.querySelector("textarea") : null;
  const urlPattern = /(https?:\/\/[^\s<>"']+)/g;
  let socket = null;
  let retryDelay = 1000;
  let lastSent = "";

  function setStatus(text) { status.textContent = text; }
  function nearBottom() { return log.scrollHeight - log.scrollTop - log.clientHeight < 80; }
  function scrollToBottom() { log.scrollTop = log.scrollHeight; }

  function linkified(text) {
    // Plain text with http(s) links made clickable; nothing is parsed as HTML.
    const fragment = document.createDocumentFragment();
    text.split(urlPattern).forEach(function (part, index) {
      if (index % 2 === 1) {
        const link = document.createElement("a");
        link.href = part;
        link.rel = "nofollow noopener";
        link.textContent = part;
        fragment.appendChild(link);
      } else if (part) {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    return fragment;
  }

  function avatar(message) {
    // The same picture or coloured initials as the server-rendered history.
    if (message.author_avatar) {
      const img = document.createElement("img");
      img.className = "avatar";
      img.src = message.author_avatar;
      img.width = img.height = 36;
      img.alt = "";
      return img;
    }
    const initials = document.createElement("span");
    initials.className = "avatar avatar-initials";
    initials.style.width = initials.style.height = "36px";
    initials.style.fontSize = "14.4px";
    initials.style.background = "hsl(" + Number(message.author_hue) + " 45% 45%)";
    initials.setAttribute("aria-hidden", "true");
    initials.textContent = message.author_initials || "?";
    return initials;
  }

  function render(message) {
    if (log.querySelector('[data-message-id="' + message.id + '"]')) return;
    const empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    const stick = nearBottom();
    const row = document.createElement("div");
    row.className = "chat-message";
    row.dataset.messageId = message.id;
    row.appendChild(avatar(message));
    const body = document.createElement("div");
    body.className = "flex-grow-1 min-w-0";
    const meta = document.createElement("div");
    meta.className = "small";
    const author = document.createElement("a");
    author.className = "fw-semibold text-reset text-decoration-none";
    author.href = message.author_url;
    author.textContent = message.author;
    const time = document.createElement("time");
    time.className = "text-body-secondary ms-1";
    time.dateTime = message.created;
    time.textContent = new Date(message.created).toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
    meta.append(author, time);
    const text = document.createElement("div");
    text.className = "chat-body";
    text.appendChild(linkified(message.body));
    body.append(meta, text);
    row.appendChild(body);
    log.appendChild(row);
    if (stick) scrollToBottom();
  }

  function showError(text) {
    if (!errorBox) return;
    errorBox.textContent = text;
    errorBox.classList.toggle("d-block", Boolean(text));
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + room.dataset.socketPath);
    setStatus("Connecting…");
    socket.addEventListener("open", function () { retryDelay = 1000; setStatus("● Live"); });
    socket.addEventListener("message", function (event) {
      const data = JSON.parse(event.data);
      if (data.type === "message") render(data.message);
      else if (data.type === "error") {
        showError(data.error);
        // The message was refused: give the sender their text back to fix.
        if (textarea && !textarea.value) textarea.value = lastSent;
      }
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code === 4403 || event.code === 4404) { setStatus("Not available"); return; }
      setStatus("Offline: reconnecting…");
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      if (!socket || socket.readyState !== WebSocket.OPEN) return; // plain POST instead
      event.preventDefault();
      const text = textarea.value.trim();
      if (!text) { showError("A message can't be empty."); return; }
      showError("");
      socket.send(JSON.stringify({ body: text }));
      lastSent = text;
      textarea.value = "";
      textarea.focus();
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  scrollToBottom();
  if ("WebSocket" in window) connect();
})();
