/* The note overlay: a card of a grid marked `data-note-overlay` (Discover) opens its note over
   the grid, with the address changed to /notes/<id>/. The note is fetched with `HX-Request`,
   which makes the server answer with the note alone (notes.views.note_detail); the grid stays
   as it is underneath, so closing (Esc, the close button, the backdrop or Back) shows it again
   at the same scroll position, with the keyboard focus back on the card. Opening the address
   directly, or reloading it, gives the full note page. Without JavaScript the cards are plain
   links to that page. */
(function () {
  "use strict";

  var FOCUSABLE = "a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
  var current = null; // {root, dialog, content, url, card, scrollY, title, inerted}

  function plainClick(event) {
    return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
  }

  function cardFor(url) {
    var id = (url.match(/\/notes\/(\d+)\//) || [])[1];
    return id ? document.querySelector("[data-note-overlay] .note-card[data-note-id='" + id + "']") : null;
  }

  function build(grid) {
    var root = document.createElement("div");
    root.className = "note-overlay";
    root.setAttribute("data-testid", "note-overlay");
    var backdrop = document.createElement("div");
    backdrop.className = "note-overlay-backdrop";
    backdrop.addEventListener("click", requestClose);
    var dialog = document.createElement("div");
    dialog.className = "note-overlay-dialog";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("tabindex", "-1");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "note-overlay-close";
    close.setAttribute("data-testid", "overlay-close");
    var label = (grid && grid.getAttribute("data-close-label")) || "Close";
    close.setAttribute("aria-label", label);
    close.title = label;
    close.innerHTML = '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M6 6l12 12M18 6 6 18"/></svg>';
    close.addEventListener("click", requestClose);
    var content = document.createElement("div");
    content.className = "note-overlay-content";
    content.setAttribute("aria-busy", "true");
    content.innerHTML = '<span class="spinner" aria-hidden="true"></span>';
    content.addEventListener("click", function (event) {
      // A click on the empty space around the note closes, as on the backdrop.
      if (event.target === content) { requestClose(); }
    });
    dialog.appendChild(close);
    dialog.appendChild(content);
    root.appendChild(backdrop);
    root.appendChild(dialog);
    return { root: root, dialog: dialog, content: content, close: close };
  }

  function setBackgroundInert(on) {
    Array.prototype.forEach.call(document.body.children, function (el) {
      if (current && el === current.root) return;
      if (el.id === "toasts" || el.tagName === "SCRIPT") return;
      if (on) {
        if (!el.inert) { el.inert = true; current.inerted.push(el); }
      }
    });
    if (!on && current) {
      current.inerted.forEach(function (el) { el.inert = false; });
      current.inerted = [];
    }
  }

  /* A like given or taken back in the overlay shows on the card underneath too: its button
     takes the new state, count and action (like ↔ unlike). */
  function syncLike(state, control) {
    var card = state.card || cardFor(state.url);
    var target = card && card.querySelector("form.like-control");
    var button = control.querySelector(".like-button");
    var cardButton = target && target.querySelector(".like-button");
    if (!target || !button || !cardButton) return;
    var action = control.getAttribute("action");
    target.setAttribute("action", action);
    target.setAttribute("hx-post", action);
    cardButton.classList.toggle("is-active", button.classList.contains("is-active"));
    ["aria-pressed", "aria-label", "title"].forEach(function (name) {
      cardButton.setAttribute(name, button.getAttribute(name));
    });
    var count = button.querySelector(".action-count");
    var cardCount = cardButton.querySelector(".action-count");
    if (count && cardCount) {
      cardCount.textContent = count.textContent;
      cardCount.title = count.title;
    }
    if (window.htmx) { window.htmx.process(target); }
  }

  function watchLikes(state) {
    new MutationObserver(function (mutations) {
      mutations.forEach(function (m) {
        Array.prototype.forEach.call(m.addedNodes, function (node) {
          if (node.nodeType === 1 && node.matches("form.like-control")) { syncLike(state, node); }
        });
      });
    }).observe(state.content, { childList: true, subtree: true });
  }

  function load(state) {
    fetch(state.url, {
      headers: { "HX-Request": "true", "HX-Current-URL": window.location.href },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (current !== state) return; // closed or replaced meanwhile
      state.content.innerHTML = html;
      state.content.removeAttribute("aria-busy");
      var page = state.content.querySelector("[data-overlay-title]");
      var heading = page && page.getAttribute("data-overlay-title");
      if (heading) {
        state.dialog.setAttribute("aria-label", heading);
        document.title = heading + state.titleSuffix;
      }
      if (window.htmx) { window.htmx.process(state.content); }
      watchLikes(state);
    }).catch(function () {
      // Whatever went wrong (offline, deleted meanwhile), the full page says it properly.
      if (current === state) { window.location.reload(); }
    });
  }

  function open(url, card, push) {
    if (current) { teardown(false); }
    var grid = card ? card.closest("[data-note-overlay]") : document.querySelector("[data-note-overlay]");
    var parts = build(grid);
    var title = document.title;
    var separator = title.lastIndexOf(" · ");
    current = {
      root: parts.root, dialog: parts.dialog, content: parts.content, url: url, card: card,
      scrollY: window.scrollY, title: title, titleSuffix: separator >= 0 ? title.slice(separator) : "",
      inerted: []
    };
    var cardTitle = card && card.querySelector(".note-card-title");
    if (cardTitle) { parts.dialog.setAttribute("aria-label", cardTitle.textContent.trim()); }
    document.body.appendChild(parts.root);
    // Hiding the page's scrollbar must not widen the grid underneath: keep its room.
    var scrollbar = window.innerWidth - document.documentElement.clientWidth;
    if (scrollbar > 0) { document.documentElement.style.paddingRight = scrollbar + "px"; }
    document.documentElement.classList.add("has-note-overlay");
    setBackgroundInert(true);
    if (push) {
      window.history.pushState({ noteOverlay: url, scrollY: current.scrollY }, "", url);
    }
    parts.close.focus({ preventScroll: true });
    load(current);
  }

  function teardown(restoreFocus) {
    var state = current;
    if (!state) return;
    setBackgroundInert(false);
    current = null;
    state.root.remove();
    document.documentElement.classList.remove("has-note-overlay");
    document.documentElement.style.paddingRight = "";
    document.title = state.title;
    window.scrollTo(0, state.scrollY);
    if (restoreFocus && state.card) {
      var link = state.card.querySelector(".note-card-title") || state.card.querySelector("a");
      if (link) { link.focus({ preventScroll: true }); }
    }
  }

  /* Esc, the close button and the backdrop go back in history when the overlay added the entry,
     so Back and close are one and the same; popstate then closes the overlay. */
  function requestClose() {
    if (!current) return;
    var state = window.history.state;
    if (state && state.noteOverlay === current.url) {
      window.history.back();
    } else {
      teardown(true);
    }
  }

  function trapTab(event) {
    var focusables = Array.prototype.filter.call(current.dialog.querySelectorAll(FOCUSABLE), function (el) {
      return el.offsetParent !== null || el === document.activeElement;
    });
    if (!focusables.length) { event.preventDefault(); current.dialog.focus(); return; }
    var first = focusables[0];
    var last = focusables[focusables.length - 1];
    var inside = current.dialog.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (!current) return;
    if (event.key === "Escape") {
      // An open menu inside the note closes first (its own handler), not the overlay.
      if (event.target.closest && event.target.closest("details[open]")) return;
      event.preventDefault();
      requestClose();
    } else if (event.key === "Tab") {
      trapTab(event);
    }
  });

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || !plainClick(event) || !event.target.closest) return;
    var link = event.target.closest("a.note-card-cover, a.note-card-title");
    if (!link || !link.closest("[data-note-overlay]")) return;
    event.preventDefault();
    open(link.getAttribute("href"), link.closest(".note-card"), true);
  });

  window.addEventListener("popstate", function (event) {
    var state = event.state;
    if (state && state.noteOverlay) {
      // Forward again to an overlay entry: open it (the grid is still here).
      if (!current || current.url !== state.noteOverlay) {
        if (cardFor(state.noteOverlay) || document.querySelector("[data-note-overlay]")) {
          open(state.noteOverlay, cardFor(state.noteOverlay), false);
        } else {
          window.location.reload();
        }
      }
    } else if (current) {
      teardown(true);
    }
  });
})();
