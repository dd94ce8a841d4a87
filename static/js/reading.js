/* Reading aids on notes and comments (templates/notes/_reading_attrs.html, notes.reading):
   a `readingBlock` per text block — its "Pinyin" switch (ruby shown above the characters),
   "Show original" for a script conversion, and one tab stop for its words (a roving tabindex:
   arrow keys, Home and End move between the glossed words and slang terms). Tapping, clicking
   or pressing Enter/Space on a word opens a popover: a word's gloss from the dictionary
   fragment (`data-dictionary-url`, asked for as htmx does), a slang term's explanation from
   its attributes. Escape or a click elsewhere closes it; on a phone it is a bottom sheet.
   Hovering previews it on devices that hover. Loaded before Alpine (components registered on
   `alpine:init`); blocks that arrive with htmx are started by Alpine like any other. */
(function () {
  "use strict";

  var ITEMS = ".rd-w, .rd-slang";
  var glosses = {}; // url → HTML of the dictionary fragment
  var pop = null; // {root, body, title, word, block, byHover}
  var hoverTimer = null;

  function items(block) {
    return Array.prototype.slice.call(block.querySelectorAll(ITEMS)).filter(function (item) {
      return !item.closest("[hidden]");
    });
  }

  function rove(block, target) {
    items(block).forEach(function (item) {
      item.setAttribute("tabindex", item === target ? "0" : "-1");
    });
  }

  function label(block, name) {
    return block.getAttribute("data-label-" + name) || "";
  }

  /* A word as the reader sees it: its characters without their pinyin. */
  function shownText(word) {
    var copy = word.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("rt"), function (rt) { rt.remove(); });
    return copy.textContent;
  }

  function phone() {
    return window.matchMedia("(max-width: 600px)").matches;
  }

  /* --- The popover ---------------------------------------------------------------------- */
  function build() {
    var root = document.createElement("div");
    root.className = "rd-pop";
    root.setAttribute("role", "dialog");
    root.setAttribute("data-testid", "reading-popover");
    root.setAttribute("tabindex", "-1");
    root.hidden = true;
    var head = document.createElement("div");
    head.className = "rd-pop-head";
    var title = document.createElement("span");
    title.className = "rd-pop-title";
    title.id = "rd-pop-title";
    title.setAttribute("data-testid", "reading-popover-title");
    root.setAttribute("aria-labelledby", title.id);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "rd-pop-close";
    close.setAttribute("data-testid", "reading-popover-close");
    close.innerHTML = '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M6 6l12 12M18 6 6 18"/></svg>';
    close.addEventListener("click", function () { closePop(true); });
    head.appendChild(title);
    head.appendChild(close);
    var body = document.createElement("div");
    body.className = "rd-pop-body";
    body.setAttribute("aria-live", "polite");
    root.appendChild(head);
    root.appendChild(body);
    // The focus leaving it for the page (Tab past its last link) closes it.
    root.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (next && !root.contains(next) && !(pop && pop.word === next)) { closePop(false); }
    });
    root.addEventListener("mouseenter", function () { window.clearTimeout(hoverTimer); });
    root.addEventListener("mouseleave", function () { if (pop && pop.byHover) { scheduleHoverClose(); } });
    return { root: root, body: body, title: title, close: close, word: null, block: null, byHover: false };
  }

  function place(word) {
    var root = pop.root;
    if (phone()) {
      root.classList.add("is-sheet");
      root.style.left = "";
      root.style.top = "";
      return;
    }
    root.classList.remove("is-sheet");
    var rect = word.getBoundingClientRect();
    var width = root.offsetWidth;
    var height = root.offsetHeight;
    var left = Math.min(Math.max(8, rect.left), window.innerWidth - width - 8);
    var top = rect.bottom + 6;
    if (top + height > window.innerHeight - 8 && rect.top - height - 6 > 8) {
      top = rect.top - height - 6;
    }
    // Set through the CSSOM (the policy forbids style attributes in markup, not this).
    root.style.left = Math.max(8, left) + "px";
    root.style.top = Math.max(8, top) + "px";
  }

  function slangContent(word, block) {
    var fragment = document.createDocumentFragment();
    var pinyin = word.getAttribute("data-slang-pinyin");
    if (pinyin) {
      var py = document.createElement("p");
      py.className = "rd-pop-pinyin";
      py.textContent = pinyin;
      fragment.appendChild(py);
    }
    var text = document.createElement("p");
    text.className = "rd-pop-text";
    text.setAttribute("data-testid", "slang-explanation");
    text.textContent = word.getAttribute("data-slang-text") || "";
    fragment.appendChild(text);
    var example = word.getAttribute("data-slang-example");
    if (example) {
      var ex = document.createElement("p");
      ex.className = "rd-pop-example";
      ex.textContent = example;
      fragment.appendChild(ex);
    }
    var url = word.getAttribute("data-slang-url");
    if (url) {
      var link = document.createElement("a");
      link.href = url;
      link.className = "rd-pop-link";
      link.setAttribute("data-testid", "slang-glossary-link");
      link.textContent = label(block, "glossary");
      fragment.appendChild(link);
    }
    return fragment;
  }

  function loadGloss(word, block) {
    var base = block.getAttribute("data-dictionary-url");
    var query = word.getAttribute("data-gloss");
    if (!base || !query) { return; }
    var url = base + (base.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
    if (glosses[url] !== undefined) {
      pop.body.innerHTML = glosses[url];
      return;
    }
    pop.body.textContent = label(block, "loading");
    pop.root.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok && response.status !== 404) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        glosses[url] = html; // the server's fragment: escaped, as every page of the site
        if (pop && pop.word === word) { pop.body.innerHTML = html; }
      })
      .catch(function () {
        if (pop && pop.word === word) { pop.body.textContent = label(block, "error"); }
      })
      .then(function () {
        if (pop) { pop.root.removeAttribute("aria-busy"); }
      });
  }

  function openPop(word, options) {
    var block = word.closest(".rd");
    if (!block) { return; }
    if (!pop) { pop = build(); }
    if (pop.word && pop.word !== word) { pop.word.setAttribute("aria-expanded", "false"); }
    pop.word = word;
    pop.block = block;
    pop.byHover = !!options.hover;
    pop.close.setAttribute("aria-label", label(block, "close"));
    pop.close.title = label(block, "close");
    pop.title.textContent = word.hasAttribute("data-slang-term") ? word.getAttribute("data-slang-term") : shownText(word);
    pop.root.classList.toggle("is-slang", word.classList.contains("rd-slang"));
    pop.body.textContent = "";
    if (word.classList.contains("rd-slang")) {
      pop.body.appendChild(slangContent(word, block));
    } else {
      loadGloss(word, block);
    }
    word.setAttribute("aria-expanded", "true");
    // Inside the note overlay when the word is (the page behind it is inert), else the body.
    var host = word.closest(".note-overlay-dialog") || document.body;
    if (pop.root.parentNode !== host) { host.appendChild(pop.root); }
    pop.root.hidden = false;
    place(word);
    if (options.focus) { pop.root.focus({ preventScroll: true }); }
  }

  function closePop(refocus) {
    if (!pop || pop.root.hidden) { return; }
    window.clearTimeout(hoverTimer);
    pop.root.hidden = true;
    var word = pop.word;
    pop.word = null;
    if (word) {
      word.setAttribute("aria-expanded", "false");
      if (refocus && document.contains(word)) { word.focus({ preventScroll: true }); }
    }
  }

  function scheduleHoverClose() {
    window.clearTimeout(hoverTimer);
    hoverTimer = window.setTimeout(function () {
      if (pop && pop.byHover) { closePop(false); }
    }, 250);
  }

  /* --- Events, delegated (words that arrive with htmx need nothing more) ---------------- */
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest) { return; }
    var word = target.closest(ITEMS);
    if (word && word.closest(".rd")) {
      event.preventDefault();
      if (pop && pop.word === word && !pop.root.hidden && !pop.byHover) {
        closePop(false);
        return;
      }
      rove(word.closest(".rd"), word);
      openPop(word, { focus: false });
      return;
    }
    if (pop && !pop.root.hidden && !pop.root.contains(target)) { closePop(false); }
  });

  // Capture: Escape closes the popover before anything else (the note overlay) sees it.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && pop && !pop.root.hidden) {
      event.preventDefault();
      event.stopPropagation();
      closePop(true);
      return;
    }
    var target = event.target;
    if (!target || !target.matches || !target.matches(ITEMS)) { return; }
    var block = target.closest(".rd");
    if (!block) { return; }
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openPop(target, { focus: true });
      return;
    }
    var list = items(block);
    var index = list.indexOf(target);
    var next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") { next = list[Math.min(list.length - 1, index + 1)]; }
    if (event.key === "ArrowLeft" || event.key === "ArrowUp") { next = list[Math.max(0, index - 1)]; }
    if (event.key === "Home") { next = list[0]; }
    if (event.key === "End") { next = list[list.length - 1]; }
    if (next) {
      event.preventDefault();
      closePop(false);
      rove(block, next);
      next.focus();
    }
  }, true);

  var hovers = window.matchMedia("(hover: hover) and (pointer: fine)");
  document.addEventListener("mouseover", function (event) {
    if (!hovers.matches || !event.target.closest) { return; }
    var word = event.target.closest(ITEMS);
    if (!word || !word.closest(".rd")) { return; }
    if (pop && !pop.root.hidden && (!pop.byHover || pop.word === word)) { // a tapped one stays
      window.clearTimeout(hoverTimer);
      return;
    }
    window.clearTimeout(hoverTimer);
    hoverTimer = window.setTimeout(function () { openPop(word, { focus: false, hover: true }); }, 350);
  });
  document.addEventListener("mouseout", function (event) {
    if (!hovers.matches || !event.target.closest) { return; }
    var word = event.target.closest(ITEMS);
    if (!word || (event.relatedTarget && word.contains(event.relatedTarget))) { return; }
    if (pop && pop.byHover && !pop.root.hidden) { scheduleHoverClose(); } else { window.clearTimeout(hoverTimer); }
  });
  function follow() { if (pop && pop.word && !pop.root.hidden) { place(pop.word); } }
  window.addEventListener("resize", follow);
  // Beside its word while the page (or the overlay, hence capture) scrolls.
  document.addEventListener("scroll", follow, { capture: true, passive: true });
  // A page swapped by htmx (another note in the overlay) leaves no popover behind.
  document.addEventListener("htmx:beforeSwap", function () { closePop(false); });

  /* --- The block: pinyin and the original ---------------------------------------------- */
  document.addEventListener("alpine:init", function () {
    window.Alpine.data("readingBlock", function () {
      var block = null; // the component's element (`$el` in a handler is the button)
      function first() {
        var list = items(block);
        if (list.length) { rove(block, list[0]); }
      }
      return {
        pinyin: false,
        original: false,
        init: function () {
          block = this.$el;
          first();
        },
        togglePinyin: function () { this.pinyin = !this.pinyin; },
        toggleOriginal: function () {
          this.original = !this.original;
          closePop(false);
          this.$nextTick(first);
        }
      };
    });
  });
})();
