/* RedNote — small progressive enhancements on top of htmx and Alpine. No build step. */
(function () {
  "use strict";

  function toastRegion() {
    var region = document.getElementById("toasts");
    if (!region) {
      region = document.createElement("div");
      region.id = "toasts";
      region.className = "toasts";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  /* Show a short message; the server sends it with `HX-Trigger: {"rednote:message": ...}`. */
  function showToast(level, text) {
    if (!text) return;
    var toast = document.createElement("div");
    toast.className = "toast toast-" + (level || "info");
    toast.textContent = text; // never HTML
    toastRegion().appendChild(toast);
    window.setTimeout(function () {
      toast.classList.add("is-leaving");
      window.setTimeout(function () { toast.remove(); }, 300);
    }, 4000);
  }

  document.addEventListener("rednote:message", function (event) {
    var detail = event.detail || {};
    showToast(detail.level, detail.text);
  });

  /* A refused action (400 with a message, or 429 past a rate limit) is reported as a toast,
     not as a page: stop the event before django-htmx's debug handler (on document) replaces
     the page with the body. */
  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("htmx:beforeOnLoad", function (event) {
      var xhr = event.detail && event.detail.xhr;
      if (xhr && (xhr.status === 400 || xhr.status === 429) && xhr.getResponseHeader("HX-Trigger")) {
        event.stopPropagation();
      }
    });
  });

  /* The search box says "Search" on a phone, where a longer hint would be cut, and the
     longer hint where it fits. */
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("site-search");
    if (!input || !input.dataset.placeholderWide || !window.matchMedia) return;
    var short = input.placeholder;
    var wide = window.matchMedia("(min-width: 761px)");
    function update() { input.placeholder = wide.matches ? input.dataset.placeholderWide : short; }
    update();
    if (wide.addEventListener) wide.addEventListener("change", update);
  });

  /* Trouble: say so instead of leaving a button that seems to do nothing. */
  document.addEventListener("htmx:sendError", function () {
    showToast("error", document.body.dataset.networkError);
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Trigger")) return; // already explained by the server
    showToast("error", document.body.dataset.serverError);
  });
})();

/* Dialogs a link loads with htmx (the report form, `dialog[data-dialog]`, appended to the
   page): opened as a modal when they arrive, closed by a `data-dialog-close` button, Escape
   or the browser, and then taken out of the page. A second one replaces the first. */
(function () {
  "use strict";

  document.addEventListener("htmx:load", function (event) {
    var root = event.detail && event.detail.elt;
    if (!root || root.nodeType !== 1) return;
    var dialogs = root.matches("dialog[data-dialog]") ? [root] : root.querySelectorAll("dialog[data-dialog]");
    Array.prototype.forEach.call(dialogs, function (dialog) {
      Array.prototype.forEach.call(document.querySelectorAll("dialog[data-dialog]"), function (other) {
        if (other !== dialog) other.remove();
      });
      dialog.addEventListener("close", function () { dialog.remove(); });
      if (!dialog.open && dialog.showModal) dialog.showModal();
    });
  });
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("[data-dialog-close]");
    var dialog = button && button.closest("dialog");
    if (dialog) {
      event.preventDefault();
      dialog.close();
    }
  });
})();
