/* "Get started", address step: say whether the address typed is free while it is typed.
   The form works without this; the server checks the address again on submit. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-check-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name='slug']");
  var output = document.getElementById("address-check");
  if (!input || !output) return;

  var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  if (described.indexOf(output.id) === -1) described.push(output.id);
  input.setAttribute("aria-describedby", described.join(" "));

  var timer = null;
  var pending = null;
  var last = null;

  function show(state, message) {
    output.hidden = !message;
    output.textContent = message;
    output.setAttribute("data-state", state);
  }

  function check() {
    var slug = input.value.trim().toLowerCase();
    if (slug === last) return;
    last = slug;
    if (pending) pending.abort();
    if (!slug) { show("", ""); return; }
    pending = window.AbortController ? new AbortController() : null;
    show("checking", "Checking…");
    var url = form.getAttribute("data-check-url") + "?slug=" + encodeURIComponent(slug);
    fetch(url, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      signal: pending ? pending.signal : undefined
    })
      .then(function (response) { return response.json(); })
      .then(function (data) { show(data.ok ? "ok" : "error", data.message); })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        last = null;  // try again on the next keystroke
        show("", "");
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  });
  if (input.value) check();
})();
