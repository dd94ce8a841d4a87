/* Notes pages: the photo carousel, live character counters and the masonry card grid.
   Alpine components are registered on `alpine:init`, so this file loads before Alpine. */
(function () {
  "use strict";

  function characters(value) {
    return Array.from(value || "").length; // code points, as the server counts
  }

  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("alpine:init", function () {
    /* Photos side by side in a scroll-snap track: swiping is native scrolling; arrows, dots
       and the ←/→ keys scroll to a photo; the index follows the scroll position. */
    window.Alpine.data("noteCarousel", function (count) {
      return {
        index: 0,
        count: count,
        init: function () {
          var self = this;
          this.onKey = function (event) {
            if (self.count < 2 || isTyping(event.target) || event.altKey || event.metaKey || event.ctrlKey) { return; }
            if (event.key === "ArrowLeft") { event.preventDefault(); self.prev(); }
            if (event.key === "ArrowRight") { event.preventDefault(); self.next(); }
          };
          document.addEventListener("keydown", this.onKey);
        },
        destroy: function () { document.removeEventListener("keydown", this.onKey); },
        go: function (i) {
          var track = this.$refs.track;
          this.index = Math.max(0, Math.min(this.count - 1, i));
          track.scrollTo({ left: this.index * track.clientWidth, behavior: "smooth" });
        },
        prev: function () { this.go(this.index - 1); },
        next: function () { this.go(this.index + 1); },
        sync: function () {
          var track = this.$refs.track;
          if (track.clientWidth) { this.index = Math.round(track.scrollLeft / track.clientWidth); }
        }
      };
    });

    /* `n / max` under a text field; `x-ref="field"` marks the field. */
    window.Alpine.data("charCounter", function (max) {
      return {
        n: 0,
        max: max,
        init: function () { this.update(); },
        update: function () { this.n = characters(this.$refs.field.value); }
      };
    });
  });

  /* Masonry: cards go, in order, into the currently shortest column, like RedNote's feed.
     Cover heights are known before images load (each has its aspect ratio), so placing is
     exact. Without JavaScript the grid stays CSS columns. */
  function columnCount(grid) {
    var value = parseInt(getComputedStyle(grid).getPropertyValue("--columns"), 10);
    return value > 0 ? value : 2;
  }

  function Masonry(grid) {
    this.grid = grid;
    this.cards = [];
    this.columns = [];
    this.build();
    var self = this;
    new MutationObserver(function (mutations) {
      var added = [];
      mutations.forEach(function (m) {
        Array.prototype.forEach.call(m.addedNodes, function (node) {
          if (node.nodeType === 1 && node.classList.contains("note-card")) { added.push(node); }
        });
      });
      added.forEach(function (card) { self.place(card); });
    }).observe(grid, { childList: true });
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (columnCount(grid) !== self.columns.length) { self.build(); }
      }, 120);
    });
  }

  Masonry.prototype.build = function () {
    var grid = this.grid;
    var cards = this.cards.length ? this.cards.slice() : Array.prototype.slice.call(grid.querySelectorAll(".note-card"));
    this.cards = [];
    this.columns.forEach(function (column) { column.remove(); });
    this.columns = [];
    var count = columnCount(grid);
    for (var i = 0; i < count; i++) {
      var column = document.createElement("div");
      column.className = "masonry-column";
      grid.appendChild(column);
      this.columns.push(column);
    }
    grid.classList.add("is-masonry");
    var self = this;
    cards.forEach(function (card) { self.place(card); });
  };

  Masonry.prototype.place = function (card) {
    // A note already in the grid is not shown twice (a rank that changed between two pages
    // of Discover could bring it back).
    var id = card.getAttribute("data-note-id");
    if (id && this.cards.some(function (placed) { return placed.getAttribute("data-note-id") === id; })) {
      card.remove();
      return;
    }
    var shortest = this.columns[0];
    this.columns.forEach(function (column) {
      if (column.offsetHeight < shortest.offsetHeight) { shortest = column; }
    });
    shortest.appendChild(card);
    this.cards.push(card);
  };

  function enhanceGrids(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-masonry]"), function (grid) {
      if (!grid.masonry) { grid.masonry = new Masonry(grid); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceGrids(document);

    /* Forms that answer a refusal with 422 and the re-rendered control (the board picker)
       are swapped in, so the errors show where the person typed. */
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      if (event.detail.xhr && event.detail.xhr.status === 422) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
  });
})();
