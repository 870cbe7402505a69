// redchain's page behaviour, on every page (base.html). Progressive: each page works without it, and each
// part below only adds what a person would otherwise miss — a menu that folds away on a phone, a visible
// "working" state so nobody clicks twice, a question before a step that cannot be undone, and a progress bar
// while a spreadsheet is checked or built.
(function () {
  "use strict";

  // ------------------------------------------------------------------ phone menu
  // The header's links take half a phone screen; under 768 px they fold behind one button (app.css hides
  // them only when this script runs, so without it they stay visible).
  function setUpMenu() {
    var toggle = document.getElementById("nav-toggle");
    if (!toggle) return;
    var header = toggle.closest(".site-header");
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("nav-open")) {
        header.classList.remove("nav-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  // ------------------------------------------------------------------ forms: confirm, busy, progress
  // A POST form shows it is on its way (aria-busy draws Pico's spinner on the button) and ignores a second
  // submit until the next page arrives. data-confirm asks first; a .form-progress inside it is revealed.
  // The button is not disabled: a disabled button would not send its name and value.
  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("[type=submit]");
    if (button) button.setAttribute("aria-busy", "true");
    var progress = form.querySelector(".form-progress");
    if (progress) progress.hidden = false;
  }

  // Back/forward restores a page from the cache as it was left, spinner included: clear it. An htmx form
  // (hx-post) stays on the page after its request, so it is cleared when the request ends, answered or not.
  function clearBusy(scope) {
    if (scope.removeAttribute) scope.removeAttribute("aria-busy"); // the form itself; document has none
    scope.querySelectorAll("[aria-busy=true]").forEach(function (element) {
      element.removeAttribute("aria-busy");
    });
    scope.querySelectorAll(".form-progress").forEach(function (element) {
      element.hidden = true;
    });
  }

  // ------------------------------------------------------------------ downloads with progress
  // An Excel export can take seconds on a big zone, and a plain download link gives no sign of life until the
  // file arrives. a[data-download] fetches the file itself, showing a progress bar (with the share received
  // when the server sends Content-Length), then saves it under the server's file name. On any failure it falls
  // back to the plain link, so the server's own error page or file is what the person gets.
  function fileName(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (utf8) return decodeURIComponent(utf8[1]);
    var plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  function readWithProgress(response, bar) {
    var total = Number(response.headers.get("Content-Length")) || 0;
    if (!response.body || !response.body.getReader) return response.blob();
    if (total) bar.max = total;
    var reader = response.body.getReader();
    var chunks = [];
    var received = 0;
    function pump() {
      return reader.read().then(function (step) {
        if (step.done) {
          return new Blob(chunks, { type: response.headers.get("Content-Type") || "" });
        }
        chunks.push(step.value);
        received += step.value.length;
        if (total) bar.value = received;
        return pump();
      });
    }
    return pump();
  }

  function download(link) {
    if (link.getAttribute("aria-busy") === "true") return;
    link.setAttribute("aria-busy", "true");
    var bar = document.createElement("progress");
    bar.className = "download-progress";
    bar.setAttribute("aria-label", link.getAttribute("data-download") || link.textContent.trim());
    link.insertAdjacentElement("afterend", bar);
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || /text\/html/.test(response.headers.get("Content-Type") || "")) {
          throw new Error("not a file");
        }
        return readWithProgress(response, bar).then(function (blob) {
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = fileName(response, "export.xlsx");
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        });
      })
      .catch(function () {
        window.location.href = link.href;
      })
      .then(function () {
        link.removeAttribute("aria-busy");
        bar.remove();
      });
  }

  function onClick(event) {
    var link = event.target.closest && event.target.closest("a[data-download]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!window.fetch || !window.Blob || !window.URL) return;
    event.preventDefault();
    download(link);
  }

  document.addEventListener("submit", onSubmit);
  document.addEventListener("click", onClick);
  window.addEventListener("pageshow", function () { clearBusy(document); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt && event.detail.elt.closest("form");
    if (form) clearBusy(form);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpMenu);
  } else {
    setUpMenu();
  }
})();
