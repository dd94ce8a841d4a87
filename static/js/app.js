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

  /* A refused action (400 with a message) is reported as a toast, not as a page: stop the
     event before django-htmx's debug handler (on document) replaces the page with the body. */
  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("htmx:beforeOnLoad", function (event) {
      var xhr = event.detail && event.detail.xhr;
      if (xhr && xhr.status === 400 && xhr.getResponseHeader("HX-Trigger")) {
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
