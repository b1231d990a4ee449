// The upload page with JavaScript: choose or drop photos, see a preview and
// give each its own title, caption, alt text and tags, then upload each in its
// own request with a progress bar and its own errors. After the upload each
// card can save changes, and fills in a suggested alt text when the cat
// detector's label arrives (if the member left it empty). Without JavaScript
// the form posts every chosen file at once with the shared details.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  const template = document.getElementById("upload-card-template");
  if (!form || !template || !window.FormData || !window.XMLHttpRequest) return;

  const input = form.querySelector("input[type=file]");
  const cards = form.querySelector("[data-upload-cards]");
  const shared = form.querySelector("[data-shared-fields]");
  const dropZone = form.querySelector("[data-drop-zone]");
  const submit = form.querySelector("[data-upload-submit]");
  const status = form.querySelector("[data-upload-status]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const maxFiles = Number(form.dataset.maxFiles) || 10;
  const maxBytes = Number(form.dataset.maxBytes) || 0;
  let counter = 0;
  let busy = false;

  shared.classList.add("d-none");
  form.querySelector("[data-drop-hint]").classList.remove("d-none");
  form.classList.add("is-enhanced");

  function say(element, message, isError) {
    element.textContent = message;
    element.classList.toggle("text-danger", Boolean(isError));
  }

  function titleFrom(name) {
    return name.replace(/\.[^.]+$/, "").replace(/[_-]+/g, " ").replace(/\s+/g, " ").trim().slice(0, 100);
  }

  function waiting() {
    return Array.from(cards.querySelectorAll("[data-upload-card]")).filter(function (card) {
      return card.dataset.state === "ready" || card.dataset.state === "failed";
    });
  }

  function updateButton() {
    const count = waiting().length;
    submit.disabled = busy || count === 0;
    submit.lastChild.textContent = count > 1 ? " Upload " + count + " photos" : " Upload";
  }

  function addFile(file) {
    if (cards.querySelectorAll("[data-upload-card]").length >= maxFiles) {
      say(status, "You can add at most " + maxFiles + " photos at once.", true);
      return;
    }
    counter += 1;
    const card = template.content.firstElementChild.cloneNode(true);
    card.file = file;
    card.dataset.state = "ready";
    card.querySelectorAll("[data-field]").forEach(function (field) {
      const id = "upload-" + counter + "-" + field.dataset.field;
      field.id = id;
      field.name = field.dataset.field;
      const label = card.querySelector('[data-for="' + field.dataset.field + '"]');
      if (label) label.htmlFor = id;
    });
    card.querySelector("[data-field=title]").value = titleFrom(file.name);
    card.querySelector("[data-file-name]").textContent = file.name;
    const preview = card.querySelector("[data-preview]");
    preview.alt = "Preview of " + file.name;
    preview.src = URL.createObjectURL(file);
    preview.addEventListener("error", function () { preview.classList.add("is-unreadable"); });
    const alt = card.querySelector("[data-field=alt_text]");
    alt.addEventListener("input", function () { alt.dataset.touched = "true"; });
    card.querySelector("[data-remove]").addEventListener("click", function () {
      URL.revokeObjectURL(preview.src);
      card.remove();
      updateButton();
    });
    card.querySelector("[data-save]").addEventListener("click", function () { save(card); });
    if (maxBytes && file.size > maxBytes) {
      say(card.querySelector("[data-card-status]"), "This file is larger than " + form.dataset.maxSize + "; it will be refused.", true);
    }
    cards.appendChild(card);
  }

  function addFiles(files) {
    say(status, "", false);
    Array.from(files).forEach(addFile);
    input.value = "";
    updateButton();
  }

  function fields(card) {
    const data = new FormData();
    card.querySelectorAll("[data-field]").forEach(function (field) { data.append(field.name, field.value); });
    return data;
  }

  function firstError(request) {
    let body = {};
    try { body = JSON.parse(request.responseText); } catch (error) { body = {}; }
    const errors = body.errors || {};
    const first = Object.keys(errors).map(function (key) { return errors[key][0]; })[0];
    return first || body.error || (request.status === 413 ? "That file is too large." : "The upload failed (" + request.status + "). Please try again.");
  }

  function upload(card) {
    return new Promise(function (resolve) {
      const data = fields(card);
      data.append("photos", card.file, card.file.name);
      const progress = card.querySelector("[data-progress]");
      const bar = progress.querySelector(".progress-bar");
      const cardStatus = card.querySelector("[data-card-status]");
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-CSRFToken", csrf);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable) return;
        const percent = Math.round((event.loaded / event.total) * 100);
        bar.style.width = percent + "%";
        progress.setAttribute("aria-valuenow", String(percent));
        card.dataset.progressSeen = (card.dataset.progressSeen || "") + percent + ",";
      });
      request.addEventListener("load", function () {
        progress.classList.remove("is-active");
        if (request.status === 201) {
          const body = JSON.parse(request.responseText);
          bar.style.width = "100%";
          progress.setAttribute("aria-valuenow", "100");
          card.dataset.state = "done";
          card.dataset.photo = String(body.id);
          card.dataset.editUrl = body.edit_url;
          cardStatus.classList.remove("text-danger");
          cardStatus.innerHTML = body.result; // rendered by the server
          card.querySelector("[data-remove]").classList.add("d-none");
          card.querySelector("[data-save]").classList.remove("d-none");
          if (window.whiskersLabels) window.whiskersLabels.watch(body.id, body.label_url, form.dataset.labelPush);
        } else {
          card.dataset.state = "failed";
          say(cardStatus, firstError(request), true);
        }
        resolve();
      });
      request.addEventListener("error", function () {
        card.dataset.state = "failed";
        say(cardStatus, "The upload was interrupted. Please try again.", true);
        resolve();
      });
      card.dataset.state = "uploading";
      bar.style.width = "0%";
      progress.classList.add("is-active");
      say(cardStatus, "Uploading…", false);
      request.send(data);
    });
  }

  function save(card) {
    const button = card.querySelector("[data-save]");
    const request = new XMLHttpRequest();
    request.open("POST", card.dataset.editUrl);
    request.setRequestHeader("X-CSRFToken", csrf);
    request.setRequestHeader("Accept", "application/json");
    request.addEventListener("load", function () {
      button.disabled = false;
      let note = card.querySelector("[data-save-note]");
      if (!note) {
        note = document.createElement("span");
        note.className = "small align-self-center";
        note.dataset.saveNote = "";
        button.after(note);
      }
      if (request.status === 200) say(note, "Saved.", false);
      else say(note, firstError(request), true);
    });
    button.disabled = true;
    request.send(fields(card));
  }

  document.addEventListener("gallery:label", function (event) {
    const message = event.detail;
    const card = cards.querySelector('[data-photo="' + message.photo + '"]');
    if (!card || !message.alt_suggestion) return;
    const alt = card.querySelector("[data-field=alt_text]");
    if (alt.value.trim() || alt.dataset.touched) return;
    alt.value = message.alt_suggestion;
    card.querySelector("[data-alt-note]").classList.remove("d-none");
    card.querySelector("[data-save]").classList.replace("btn-outline-primary", "btn-primary");
  });

  input.addEventListener("change", function () { addFiles(input.files); });
  ["dragenter", "dragover"].forEach(function (name) {
    dropZone.addEventListener(name, function (event) { event.preventDefault(); dropZone.classList.add("is-dragging"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    dropZone.addEventListener(name, function () { dropZone.classList.remove("is-dragging"); });
  });
  dropZone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) addFiles(event.dataTransfer.files);
  });

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const queue = waiting();
    if (!queue.length) { say(status, "Choose some photos first.", true); return; }
    busy = true;
    updateButton();
    say(status, "Uploading " + queue.length + " photo" + (queue.length > 1 ? "s" : "") + "…", false);
    for (const card of queue) { await upload(card); }
    busy = false;
    updateButton();
    const done = cards.querySelectorAll('[data-state="done"]').length;
    const failed = cards.querySelectorAll('[data-state="failed"]').length;
    say(status, done + " uploaded" + (failed ? ", " + failed + " refused: see why on each photo." : ". They are in the gallery now."), failed > 0);
  });

  updateButton();
})();
