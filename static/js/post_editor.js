// The writing page: a Markdown toolbar, pictures uploaded and inserted at the
// cursor with a progress bar, one submission per click, and a warning before
// leaving with unsaved text. Without JavaScript the form works as it is.
(function () {
  "use strict";
  const form = document.getElementById("post-form");
  if (!form) return;
  const text = form.querySelector("textarea[name=body]");
  const toolbar = form.querySelector("[data-editor-toolbar]");
  let dirty = false;

  // Formatting

  function selection() {
    return { start: text.selectionStart, end: text.selectionEnd, value: text.value };
  }

  function replace(start, end, insert, selectFrom, selectTo) {
    text.focus();
    text.setRangeText(insert, start, end, "end");
    if (selectFrom !== undefined) text.setSelectionRange(selectFrom, selectTo);
    text.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function wrap(marker, placeholder) {
    const s = selection();
    const inner = s.value.slice(s.start, s.end) || placeholder;
    replace(s.start, s.end, marker + inner + marker, s.start + marker.length, s.start + marker.length + inner.length);
  }

  function prefixLines(prefix) {
    const s = selection();
    const lineStart = s.value.lastIndexOf("\n", s.start - 1) + 1;
    const block = s.value.slice(lineStart, s.end) || "";
    const lines = (block || "").split("\n").map(function (line, index) {
      const mark = typeof prefix === "function" ? prefix(index) : prefix;
      return line.startsWith(mark) ? line : mark + line;
    });
    const result = lines.join("\n");
    replace(lineStart, s.end, result, lineStart + result.length, lineStart + result.length);
  }

  function link() {
    const s = selection();
    const label = s.value.slice(s.start, s.end) || "link text";
    const inserted = "[" + label + "](https://)";
    replace(s.start, s.end, inserted, s.start + label.length + 3, s.start + inserted.length - 1);
  }

  const actions = {
    bold: function () { wrap("**", "bold text"); },
    italic: function () { wrap("*", "italic text"); },
    link: link,
    heading: function () { prefixLines("## "); },
    quote: function () { prefixLines("> "); },
    list: function () { prefixLines("- "); },
    numbered: function () { prefixLines(function (index) { return (index + 1) + ". "; }); },
  };

  if (toolbar && text) {
    toolbar.classList.remove("d-none");
    toolbar.addEventListener("click", function (event) {
      const button = event.target.closest("[data-md]");
      if (!button) return;
      event.preventDefault();
      actions[button.dataset.md]();
    });
    text.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "b" || key === "i" || key === "k") {
        event.preventDefault();
        actions[{ b: "bold", i: "italic", k: "link" }[key]]();
      }
    });
  }

  // Pictures: uploaded on their own, then a Markdown line at the cursor

  const panel = form.querySelector("[data-picture-panel]");
  if (panel && window.XMLHttpRequest && window.FormData) {
    const controls = panel.querySelector("[data-picture-js]");
    const insertButton = panel.querySelector("[data-picture-insert]");
    const progress = panel.querySelector("[data-picture-progress]");
    const bar = progress.querySelector(".progress-bar");
    const status = panel.querySelector("[data-picture-status]");
    const file = panel.querySelector("input[name=picture]");
    const alt = panel.querySelector("input[name=picture_alt]");
    const caption = panel.querySelector("input[name=picture_caption]");
    controls.classList.remove("d-none");

    function say(message, isError) {
      status.textContent = message;
      status.classList.toggle("text-danger", Boolean(isError));
    }

    function insertLine(markdown) {
      const s = selection();
      const before = s.value.slice(0, s.start);
      const after = s.value.slice(s.end);
      const lead = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
      const trail = after.startsWith("\n\n") ? "" : (after.startsWith("\n") ? "\n" : "\n\n");
      replace(s.start, s.end, lead + markdown + trail);
    }

    insertButton.addEventListener("click", function () {
      if (!file.files.length) { say("Choose a picture first.", true); file.focus(); return; }
      if (!alt.value.trim()) { say("Describe the picture for people who can't see it.", true); alt.focus(); return; }
      const data = new FormData();
      data.append("picture", file.files[0]);
      data.append("alt_text", alt.value);
      data.append("caption", caption.value);
      const request = new XMLHttpRequest();
      request.open("POST", form.dataset.pictureUrl);
      request.setRequestHeader("X-CSRFToken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable) return;
        const percent = Math.round((event.loaded / event.total) * 100);
        bar.style.width = percent + "%";
        progress.setAttribute("aria-valuenow", String(percent));
      });
      request.addEventListener("load", function () {
        insertButton.disabled = false;
        progress.classList.add("d-none");
        let body = {};
        try { body = JSON.parse(request.responseText); } catch (error) { body = {}; }
        if (request.status === 201) {
          insertLine(body.markdown);
          file.value = ""; alt.value = ""; caption.value = "";
          say("Added. The picture's line is in your post where the cursor was.", false);
        } else {
          const errors = body.errors || {};
          const first = Object.keys(errors).map(function (key) { return errors[key][0]; })[0];
          say(first || body.error || "The picture could not be added. Please try again.", true);
        }
      });
      request.addEventListener("error", function () {
        insertButton.disabled = false;
        progress.classList.add("d-none");
        say("The upload was interrupted. Please try again.", true);
      });
      insertButton.disabled = true;
      bar.style.width = "0%";
      progress.classList.remove("d-none");
      say("Uploading…", false);
      request.send(data);
    });
  }

  // One submission per click, and no text lost by leaving the page

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function (event) {
    const submitter = event.submitter;
    if (form.dataset.submitting) { event.preventDefault(); return; }
    form.dataset.submitting = "true";
    dirty = false;
    if (submitter && submitter.name) {
      const carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      form.appendChild(carried);
    }
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
