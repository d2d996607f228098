// The media library, enhanced: drop images anywhere on the upload form, upload several
// at once with a progress bar and a message for each, and copy figure HTML with one
// click. Without this script the same form uploads by a plain POST.
(function () {
  "use strict";

  function describeStatus(status) {
    if (status === 403) return "You are not allowed to upload images to this site.";
    if (status === 413) return "This file is too big.";
    if (status === 0) return "The connection failed; check your network and try again.";
    return "The upload failed (error " + status + "); please try again.";
  }

  function enhanceUpload(form) {
    var input = form.querySelector('input[type="file"]');
    var zone = form.querySelector("[data-dropzone]");
    var list = form.querySelector("[data-upload-status]");
    var hint = form.querySelector("[data-drop-hint]");
    var grid = document.querySelector("[data-media-grid]");
    var empty = document.querySelector("[data-media-empty]");
    var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!input || !zone || !list || !window.FormData) return;
    if (hint) hint.hidden = false;

    function row(file) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", "Uploading " + file.name);
      var result = document.createElement("p");
      result.className = "result";
      li.append(name, bar, result);
      list.append(li);
      return { li: li, bar: bar, result: result };
    }

    function finish(view, ok, message) {
      view.li.classList.add(ok ? "is-done" : "is-error");
      view.bar.value = 100;
      view.bar.hidden = true;
      view.result.textContent = message;
    }

    function addCards(html) {
      if (!grid) return;
      html.forEach(function (fragment) {
        var holder = document.createElement("template");
        holder.innerHTML = fragment.trim();
        var card = holder.content.firstElementChild;
        if (card) {
          grid.prepend(card);
          enhanceCopy(card);
        }
      });
      grid.hidden = false;
      if (empty) empty.hidden = true;
    }

    function send(file) {
      return new Promise(function (resolve) {
        var view = row(file);
        var data = new FormData();
        if (token) data.append("csrfmiddlewaretoken", token.value);
        data.append("files", file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) view.bar.value = Math.round((event.loaded / event.total) * 95);
        });
        xhr.addEventListener("load", function () {
          var body = null;
          try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
          if (body && body.media && body.media.length) {
            finish(view, true, "Uploaded." + (body.media[0].alt ? "" : " Add alt text with Edit."));
            addCards(body.html || []);
          } else if (body && body.errors && body.errors.length) {
            finish(view, false, body.errors.map(function (e) { return e.message; }).join(" "));
          } else {
            finish(view, false, describeStatus(xhr.status));
          }
          resolve();
        });
        xhr.addEventListener("error", function () { finish(view, false, describeStatus(0)); resolve(); });
        xhr.send(data);
      });
    }

    function uploadAll(files) {
      // One at a time: a phone on a slow connection finishes each file instead of
      // stalling all of them, and the server resizes one image at a time.
      var queue = Array.prototype.slice.call(files);
      var chain = Promise.resolve();
      queue.forEach(function (file) { chain = chain.then(function () { return send(file); }); });
      return chain.then(function () { input.value = ""; });
    }

    form.addEventListener("submit", function (event) {
      if (!input.files || !input.files.length) return; // let the browser explain
      event.preventDefault();
      uploadAll(input.files);
    });

    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.remove("is-dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) uploadAll(files);
    });
  }

  function enhanceCopy(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) return;
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = label; }, 2000);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
        } else {
          field.select();
          try { if (document.execCommand("copy")) done(); } catch (e) { /* selected for Ctrl+C */ }
        }
      });
    });
  }

  document.querySelectorAll("[data-media-upload]").forEach(enhanceUpload);
  enhanceCopy(document);
})();
