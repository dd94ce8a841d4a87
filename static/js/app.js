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

  /* Inline styles are refused by the Content-Security-Policy, so a value the server computes
     for one element (a photo's shape and placeholder colour, an avatar's colour) comes as
     `data-css="aspect-ratio: 0.75; --placeholder: #aabbcc"` and is set here through the
     CSSOM, which the policy allows. Applied as soon as the page is parsed (deferred script)
     and to whatever is added later (htmx swaps, the note overlay), before other observers
     — the masonry grid measures cards — see it. */
  function applyCss(element) {
    var text = element.getAttribute("data-css");
    if (!text) return;
    text.split(";").forEach(function (declaration) {
      var colon = declaration.indexOf(":");
      if (colon < 1) return;
      var name = declaration.slice(0, colon).trim();
      var value = declaration.slice(colon + 1).trim();
      if (/^(--[a-z-]+|aspect-ratio)$/.test(name) && /^[#0-9a-zA-Z. ]+$/.test(value)) {
        element.style.setProperty(name, value);
      }
    });
  }
  function applyCssWithin(root) {
    if (root.nodeType !== 1) return;
    if (root.hasAttribute("data-css")) applyCss(root);
    Array.prototype.forEach.call(root.querySelectorAll("[data-css]"), applyCss);
  }
  applyCssWithin(document.documentElement);
  new MutationObserver(function (mutations) {
    mutations.forEach(function (m) { Array.prototype.forEach.call(m.addedNodes, applyCssWithin); });
  }).observe(document.documentElement, { childList: true, subtree: true });

  /* Behaviours declared in markup, since the policy allows no inline handlers:
     `data-autosubmit` on a field sends its form when it changes (the language switcher);
     `data-confirm` on a form asks before it is sent (deleting a board, blocking someone);
     a `details[data-menu]` closes on a click outside it and on Escape. */
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  function closeMenus(except) {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-menu][open]"), function (menu) {
      if (!except || !menu.contains(except)) menu.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) { closeMenus(event.target); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenus(null);
  });

  /* Alpine components (its CSP build evaluates no inline code: markup names a component and
     its properties and methods). Registered before Alpine starts (this file loads first). */
  document.addEventListener("alpine:init", function () {
    /* A translation with a "Show original" / "Show translation" switch; the two labels come
       translated in `data-label-original` and `data-label-translation`. */
    window.Alpine.data("translationToggle", function () {
      return {
        original: false,
        labels: {},
        init: function () {
          this.labels = { original: this.$el.dataset.labelOriginal, translation: this.$el.dataset.labelTranslation };
        },
        toggle: function () { this.original = !this.original; },
        get label() { return this.original ? this.labels.translation : this.labels.original; }
      };
    });
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
