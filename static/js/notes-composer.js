/* The note composer (/notes/new/): pick photos, preview, reorder, describe, upload each one
   with progress, then post the note. Registered as an Alpine component before Alpine starts.
   Without JavaScript the page keeps its plain multi-file form, which the server handles too. */
(function () {
  "use strict";

  function config() {
    var node = document.getElementById("composer-config");
    return node ? JSON.parse(node.textContent) : { messages: {} };
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function parseJson(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  var nextKey = 1;

  document.addEventListener("alpine:init", function () {
    var settings = config();
    var text = settings.messages || {};

    window.Alpine.data("noteComposer", function () {
      return {
        enhanced: true,
        items: [],
        errors: {},
        message: "",
        posting: false,
        draggingFiles: false,
        dragIndex: null,
        maxImages: settings.maxImages || 18,

        get uploading() {
          return this.items.some(function (item) {
            return item.state === "uploading" || item.state === "queued";
          });
        },

        /* One upload at a time, in the order picked: the first photos are ready first and a
           phone's connection is not split a dozen ways. */
        pump: function () {
          if (this.items.some(function (item) { return item.state === "uploading"; })) { return; }
          var next = this.items.find(function (item) { return item.state === "queued"; });
          if (next) { this.upload(next); }
        },
        get busy() { return this.posting || this.uploading; },

        init: function () {
          var self = this;
          window.addEventListener("beforeunload", function () {
            self.items.forEach(function (item) { URL.revokeObjectURL(item.preview); });
          });
        },

        label: function (kind, index) {
          return (text[kind] || "").replace("%(n)s", String(index + 1));
        },

        pick: function (event) {
          this.add(event.target.files);
          event.target.value = ""; // picking the same file again should work
        },

        add: function (fileList) {
          var files = Array.prototype.slice.call(fileList || []);
          var room = this.maxImages - this.items.length;
          this.message = "";
          if (files.length > room) {
            this.message = text.tooMany || "";
            files = files.slice(0, Math.max(room, 0));
          }
          var self = this;
          files.forEach(function (file) {
            var item = {
              key: nextKey++,
              file: file,
              preview: URL.createObjectURL(file),
              alt: "",
              state: "queued",
              progress: 0,
              id: null,
              error: ""
            };
            self.items.push(item);
          });
          this.pump();
          if (this.errors.photos) { this.errors = Object.assign({}, this.errors, { photos: null }); }
        },

        // `item` is the reactive (proxied) entry, so progress and state show as they change.
        upload: function (item) {
          var self = this;
          item.state = "uploading";
          var data = new FormData();
          data.append("file", item.file, item.file.name);
          var xhr = new XMLHttpRequest();
          item.xhr = xhr;
          xhr.open("POST", settings.uploadUrl);
          xhr.setRequestHeader("X-CSRFToken", csrfToken(this.$root));
          xhr.setRequestHeader("Accept", "application/json");
          xhr.upload.onprogress = function (event) {
            if (event.lengthComputable) {
              item.progress = Math.min(99, Math.round((event.loaded / event.total) * 100));
            }
          };
          xhr.onload = function () {
            var body = parseJson(xhr.responseText) || {};
            if (xhr.status === 201 && body.id) {
              item.id = body.id;
              item.progress = 100;
              item.state = "done";
            } else {
              var errors = body.errors || {};
              item.state = "failed";
              item.error = (errors.file || errors.alt_text || [body.detail || text.uploadFailed]).join(" ");
            }
            item.xhr = null;
            self.pump();
          };
          xhr.onerror = function () {
            item.state = "failed";
            item.error = text.uploadFailed || "";
            item.xhr = null;
            self.pump();
          };
          xhr.send(data);
        },

        remove: function (index) {
          var item = this.items[index];
          if (item.xhr) { item.xhr.onload = item.xhr.onerror = null; item.xhr.abort(); }
          URL.revokeObjectURL(item.preview);
          this.items.splice(index, 1);
          this.pump();
        },

        move: function (index, step) {
          var target = index + step;
          if (target < 0 || target >= this.items.length) { return; }
          var moved = this.items.splice(index, 1)[0];
          this.items.splice(target, 0, moved);
        },

        dragStart: function (index, event) {
          this.dragIndex = index;
          event.dataTransfer.effectAllowed = "move";
          event.dataTransfer.setData("text/plain", String(index));
        },

        dropOnItem: function (index, event) {
          this.draggingFiles = false;
          if (this.dragIndex === null) {
            this.add(event.dataTransfer.files);
            return;
          }
          var from = this.dragIndex;
          this.dragIndex = null;
          if (from === index) { return; }
          var moved = this.items.splice(from, 1)[0];
          this.items.splice(index, 0, moved);
        },

        dragOverList: function (event) {
          if (this.dragIndex === null && event.dataTransfer.types.indexOf("Files") !== -1) {
            this.draggingFiles = true;
          }
        },

        dropOnList: function (event) {
          this.draggingFiles = false;
          if (this.dragIndex !== null) { this.dragIndex = null; return; }
          this.add(event.dataTransfer.files);
        },

        submit: function (event) {
          event.preventDefault();
          if (this.busy) {
            this.message = this.uploading ? (text.stillUploading || "") : "";
            return;
          }
          this.message = "";
          var ready = this.items.filter(function (item) { return item.state === "done"; });
          if (this.items.some(function (item) { return item.state === "failed"; })) {
            this.errors = { photos: [text.removeFailed] };
            return;
          }
          var form = event.target;
          var data = new FormData(form);
          data.delete("photos");
          data.delete("photo_alt");
          ready.forEach(function (item) {
            data.append("media_ids", String(item.id));
            data.append("alt_text_" + item.id, item.alt);
          });
          var self = this;
          this.posting = true;
          fetch(form.action, {
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) }
          }).then(function (response) {
            return response.text().then(function (body) {
              return { status: response.status, body: parseJson(body) || {} };
            });
          }).then(function (result) {
            if (result.status === 201 && result.body.url) {
              window.location.assign(result.body.url);
              return;
            }
            self.posting = false;
            self.errors = result.body.errors || {};
            // No field to show it on (a 429 past the note rate, say): the message says why.
            if (!Object.keys(self.errors).length) { self.message = result.body.detail || text.failed || ""; }
          }).catch(function () {
            self.posting = false;
            self.message = text.failed || "";
          });
        }
      };
    });
  });
})();
