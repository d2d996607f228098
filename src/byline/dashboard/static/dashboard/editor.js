/* The editor's enhancements: live preview, autosave, the link picker.
 *
 * Everything here is optional: the editor is an ordinary form without it.
 * Saves are serialised through one queue, so an autosave and a click on Save never
 * race each other: the form is submitted only after the autosave in flight has
 * finished and the page has taken the version the server answered with.
 */
(function () {
  "use strict";

  var form = document.getElementById("post-editor");
  if (!form) return;

  var AUTOSAVE_EVERY = 5000;
  var PREVIEW_DELAY = 500;

  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var version = form.querySelector("input[name=version]");
  var title = form.querySelector("[name=title]");
  var source = form.querySelector("[name=source]");
  var excerpt = form.querySelector("[name=excerpt]");
  var status = document.getElementById("autosave-status");

  function say(message, isError) {
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("is-error", !!isError);
  }

  function post(url, fields) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    });
  }

  /* --- Images: insert the chosen figure where the cursor is ------------------------ */

  var insertButton = document.getElementById("insert-image-button");
  var imageSelect = document.getElementById("insert-image");
  if (insertButton && imageSelect && source) {
    insertButton.addEventListener("click", function (event) {
      var option = imageSelect.options[imageSelect.selectedIndex];
      if (!option) return;
      event.preventDefault();
      var figure = "\n\n" + option.getAttribute("data-figure") + "\n\n";
      var start = source.selectionStart, end = source.selectionEnd;
      source.value = source.value.slice(0, start) + figure + source.value.slice(end);
      source.selectionStart = source.selectionEnd = start + figure.length;
      source.focus();
      source.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  /* --- Autosave ------------------------------------------------------------------- */

  function words() {
    return JSON.stringify([title.value, source.value, excerpt ? excerpt.value : ""]);
  }

  var lastSaved = words();
  var queue = Promise.resolve();
  var pending = 0;          // saves queued or in flight
  var stopped = !!form.dataset.conflict;  // after a conflict, only the person decides
  var submitting = false;

  function autosave() {
    var snapshot = words();
    if (stopped || submitting || snapshot === lastSaved) return queue;
    pending += 1;
    queue = queue.then(function () {
      // Read the version only now: an earlier save in the queue may have changed it.
      var fields = { title: title.value, source: source.value,
                     excerpt: excerpt ? excerpt.value : "", version: version.value || "",
                     kind: form.dataset.kind };
      say("Saving…");
      return post(form.dataset.autosaveUrl, fields).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.status === 409) {
            stopped = true;
            say(data.message || "Someone else saved this post. Press Save to compare.", true);
            return;
          }
          if (!response.ok) {
            say((data && data.error) || "Not saved: the server refused the autosave (" +
                response.status + "). Keep this page open and press Save.", true);
            return;
          }
          lastSaved = snapshot;
          if (data.version) version.value = data.version;
          if (data.edit_url) {
            // The first autosave made a draft: from now on this page edits it.
            form.action = data.edit_url;
            form.dataset.autosaveUrl = data.autosave_url;
            form.dataset.postId = data.id;
            if (window.history && history.replaceState) history.replaceState(null, "", data.edit_url);
          }
          say(data.message || "Saved.");
        });
      }).catch(function () {
        say("Not saved: the connection failed. Trying again in a few seconds.", true);
      });
    }).finally(function () { pending -= 1; });
    return queue;
  }

  // No autosave for a brand-new, still empty form.
  setInterval(autosave, AUTOSAVE_EVERY);

  form.addEventListener("submit", function (event) {
    if (submitting) return;
    submitting = true;  // no new autosave may start behind this save
    if (pending === 0) return;
    event.preventDefault();
    var submitter = event.submitter;
    say("Finishing the autosave first…");
    queue.then(function () {
      if (submitter && form.requestSubmit) {
        form.requestSubmit(submitter);
      } else {
        form.submit();
      }
    });
  });

  // Buttons outside the form (e.g. "Use mine") submit it through the form attribute.
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && words() !== lastSaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  /* --- Live preview --------------------------------------------------------------- */

  var previewBody = document.getElementById("preview-body");
  var previewTimer = null;
  var previewAsked = 0;

  function refreshPreview() {
    var asked = ++previewAsked;
    post(form.dataset.previewUrl, { source: source.value,
                                    source_format: form.dataset.sourceFormat || "markdown" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        // The server sanitised this HTML with the same renderer that saving uses.
        if (html !== null && asked === previewAsked) previewBody.innerHTML = html;
      })
      .catch(function () { /* the preview is a convenience; the next keystroke retries */ });
  }

  if (previewBody) {
    source.addEventListener("input", function () {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(refreshPreview, PREVIEW_DELAY);
    });
  }

  var panes = document.getElementById("write-preview");
  var paneSwitch = panes && panes.querySelector(".pane-switch");
  if (paneSwitch) {
    paneSwitch.hidden = false;
    panes.classList.add("has-switch");
    paneSwitch.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-pane]");
      if (!button) return;
      var showPreview = button.dataset.pane === "preview";
      panes.classList.toggle("show-preview", showPreview);
      paneSwitch.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b === button));
      });
      if (showPreview) refreshPreview();
    });
  }

  /* --- Visibility: the password field only for "Password protected" ---------------- */

  var passwordField = document.getElementById("password-field");
  function showPassword() {
    var chosen = form.querySelector("input[name=visibility]:checked");
    if (passwordField) passwordField.hidden = !(chosen && chosen.value === "password");
  }
  form.querySelectorAll("input[name=visibility]").forEach(function (radio) {
    radio.addEventListener("change", showPassword);
  });
  showPassword();

  /* --- "Find also to read": search, add, reorder, remove --------------------------- */

  var rows = document.getElementById("link-rows");
  var template = document.getElementById("link-row-template");
  var total = form.querySelector("input[name=links-TOTAL_FORMS]");
  var picker = form.querySelector(".link-picker");
  if (!rows || !template || !total || !picker) return;
  picker.hidden = false;

  function liveRows() {
    return Array.prototype.filter.call(rows.children, function (row) {
      return !row.classList.contains("is-removed") && !row.classList.contains("is-spare");
    });
  }

  function renumber() {
    liveRows().forEach(function (row, index) {
      var position = row.querySelector("input[name$=-position]");
      if (position) position.value = index + 1;
      var number = row.querySelector(".link-number");
      if (number) number.textContent = index + 1;
      var up = row.querySelector("[data-move=up]");
      var down = row.querySelector("[data-move=down]");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === liveRows().length - 1;
    });
  }

  function button(label, hiddenLabel, attr) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button";
    b.textContent = label;
    var extra = document.createElement("span");
    extra.className = "visually-hidden";
    extra.textContent = hiddenLabel;
    b.appendChild(extra);
    b.setAttribute(attr[0], attr[1]);
    return b;
  }

  function enhance(row) {
    if (row.classList.contains("is-enhanced")) return;
    row.classList.add("is-enhanced");
    var controls = document.createElement("div");
    controls.className = "link-controls";
    controls.appendChild(button("Up", " (move this link up)", ["data-move", "up"]));
    controls.appendChild(button("Down", " (move this link down)", ["data-move", "down"]));
    controls.appendChild(button("Remove", " this link", ["data-remove", "1"]));
    row.querySelector("fieldset").appendChild(controls);
  }

  function isEmpty(row) {
    var target = row.querySelector("select[name$=-target]");
    var url = row.querySelector("input[name$=-url]");
    return !(target && target.value) && !(url && url.value);
  }

  function newRow() {
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    total.value = index + 1;
    rows.appendChild(row);
    enhance(row);
    return row;
  }

  function emptyRow() {
    var free = liveRows().filter(isEmpty);
    if (free.length) return free[0];
    var spare = rows.querySelector(".link-row.is-spare");
    if (!spare) return newRow();
    spare.classList.remove("is-spare");
    // A spare row keeps its place in the form but goes to the end of the list.
    rows.appendChild(spare);
    return spare;
  }

  Array.prototype.forEach.call(rows.children, function (row) {
    enhance(row);
    // Blank rows the server added for typing without the script wait out of sight.
    var title = row.querySelector("input[name$=-title]");
    if (isEmpty(row) && !(title && title.value) && !row.querySelector(".errorlist")) {
      row.classList.add("is-spare");
    }
  });
  // Keep the author's order on screen, then number the rows 1, 2, 3.
  renumber();

  rows.addEventListener("click", function (event) {
    var control = event.target.closest("button");
    if (!control) return;
    var row = control.closest(".link-row");
    if (control.dataset.remove) {
      var del = row.querySelector("input[name$=-DELETE]");
      if (del) del.checked = true;
      row.classList.add("is-removed");
      renumber();
      say("Link removed; it goes when you save.");
      return;
    }
    var live = liveRows();
    var at = live.indexOf(row);
    if (control.dataset.move === "up" && at > 0) {
      rows.insertBefore(row, live[at - 1]);
    } else if (control.dataset.move === "down" && at < live.length - 1) {
      rows.insertBefore(live[at + 1], row);
    }
    renumber();
    control.focus();
  });

  picker.querySelector("[data-add-outside]").addEventListener("click", function () {
    var row = emptyRow();
    renumber();
    var url = row.querySelector("input[name$=-url]");
    if (url) url.focus();
  });

  var search = document.getElementById("link-search");
  var results = document.getElementById("link-results");
  var resultsStatus = document.getElementById("link-results-status");
  var searchTimer = null;

  function showResults(items) {
    results.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var choose = document.createElement("button");
      choose.type = "button";
      choose.dataset.id = item.id;
      choose.textContent = item.title;  // text, never HTML: titles are the authors' words
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " — " + (item.kind === "page" ? "page, " : "") + item.status.toLowerCase();
      choose.appendChild(meta);
      li.appendChild(choose);
      results.appendChild(li);
    });
    resultsStatus.textContent = items.length ? items.length + " posts found." : "No posts found.";
  }

  search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      var query = search.value.trim();
      if (!query) { showResults([]); return; }
      var url = form.dataset.searchUrl + "?q=" + encodeURIComponent(query) +
        (form.dataset.postId ? "&exclude=" + encodeURIComponent(form.dataset.postId) : "");
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) { showResults(data.results || []); })
        .catch(function () { resultsStatus.textContent = "The search failed."; });
    }, 250);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") event.preventDefault();  // not a save
  });

  results.addEventListener("click", function (event) {
    var choose = event.target.closest("button[data-id]");
    if (!choose) return;
    var row = emptyRow();
    var select = row.querySelector("select[name$=-target]");
    if (select) select.value = choose.dataset.id;
    renumber();
    showResults([]);
    search.value = "";
    say("Link added; it is kept when you save.");
    search.focus();
  });
})();
