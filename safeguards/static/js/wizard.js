// Wizard autosave: every few seconds, changed items are sent one by one. Unsent changes live in
// localStorage, so a reload, navigation or lost connection loses nothing; on reload they are restored
// and sent again. A 409 shows the saved version beside the person's own, and nothing is overwritten
// until they choose.
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form || !window.fetch) { return; }
  var INTERVAL = 3000;
  var status = document.getElementById("autosave-status");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var urlTemplate = form.dataset.autosave;
  var storePrefix = "safeguards:" + form.dataset.assessment + ":";
  var FIELDS = ["justification", "evidence", "links", "confidence"];
  var items = {};
  var sending = false;

  function msg(name) { return form.dataset["msg" + name] || ""; }
  function setStatus(text) { status.textContent = text; }

  function el(item, name) { return item.node.querySelector("[name='" + item.prefix + "-" + name + "']"); }

  function read(item) {
    var checked = item.node.querySelector("input[name='" + item.prefix + "-choice']:checked");
    var values = { choice: checked ? checked.value : "" };
    FIELDS.forEach(function (f) { values[f] = el(item, f).value; });
    return values;
  }

  function write(item, values) {
    item.node.querySelectorAll("input[name='" + item.prefix + "-choice']").forEach(function (radio) {
      radio.checked = radio.value === values.choice;
    });
    FIELDS.forEach(function (f) { el(item, f).value = values[f] || ""; });
  }

  function version(item) { return parseInt(el(item, "version").value, 10) || 0; }

  function remember(item) {
    var entry = { values: read(item), version: version(item), at: Date.now() };
    try { localStorage.setItem(storePrefix + item.code, JSON.stringify(entry)); } catch (e) { /* full or private mode */ }
    item.dirty = true;
    item.blocked = false;
    setStatus(msg("Unsaved"));
  }

  function forget(item) {
    try { localStorage.removeItem(storePrefix + item.code); } catch (e) { /* ignore */ }
    item.dirty = false;
  }

  function itemStatus(item, text, isError) {
    var p = item.node.querySelector(".item-status");
    p.textContent = text;
    p.classList.toggle("error", !!isError);
  }

  function showConflict(item, current) {
    var box = item.node.querySelector(".js-conflict");
    if (box) { box.remove(); }
    box = document.createElement("div");
    box.className = "conflict-box js-conflict";
    box.setAttribute("role", "alert");
    var intro = document.createElement("p");
    intro.textContent = msg("Conflict") + (current.updated_by ? " (" + current.updated_by + ")" : "");
    box.appendChild(intro);
    [[msg("Theirs"), current], [msg("Mine"), read(item)]].forEach(function (pair) {
      var h = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = pair[0];
      h.appendChild(strong);
      box.appendChild(h);
      var dl = document.createElement("dl");
      ["choice"].concat(FIELDS).forEach(function (f) {
        if (!pair[1][f]) { return; }
        var dt = document.createElement("dt");
        dt.textContent = f === "choice" ? labelFor(item, pair[1][f]) : labelText(item, f);
        var dd = document.createElement("dd");
        dd.textContent = f === "choice" ? "" : pair[1][f];
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
      box.appendChild(dl);
    });
    var keep = button(msg("KeepMine"), function () {
      el(item, "version").value = current.version;
      box.remove();
      remember(item);
      flush();
    });
    var take = button(msg("TakeTheirs"), function () {
      write(item, current);
      el(item, "version").value = current.version;
      item.node.querySelector("input[name='" + item.prefix + "-base']").value = current.base;
      forget(item);
      box.remove();
      itemStatus(item, "");
    });
    box.appendChild(keep);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(take);
    item.node.insertBefore(box, item.node.querySelector(".field"));
    item.blocked = true;
  }

  function labelFor(item, choice) {
    var radio = item.node.querySelector("input[name='" + item.prefix + "-choice'][value='" + choice + "']");
    var label = radio && item.node.querySelector("label[for='" + radio.id + "']");
    return label ? label.textContent : choice;
  }

  function labelText(item, f) {
    var label = item.node.querySelector("label[for='" + item.prefix + "-" + f + "']");
    return label ? label.textContent : f;
  }

  function button(text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button secondary small";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function send(item) {
    var body = read(item);
    body.version = version(item);
    return fetch(urlTemplate.replace("__P__", encodeURIComponent(item.code)), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) {
          el(item, "version").value = data.version;
          item.node.querySelector("input[name='" + item.prefix + "-base']").value = data.base;
          // only forget if nothing changed while the request was under way
          if (JSON.stringify(read(item)) === JSON.stringify({ choice: body.choice, justification: body.justification, evidence: body.evidence, links: body.links, confidence: body.confidence })) {
            forget(item);
          } else {
            remember(item);
          }
          itemStatus(item, msg("Saved"));
        } else if (response.status === 409 && data.current) {
          showConflict(item, data.current);
        } else if (response.status === 422) {
          item.blocked = true;
          var errors = data.errors || {};
          itemStatus(item, msg("Error") + " " + Object.keys(errors).map(function (k) { return errors[k]; }).join(" "), true);
        } else {
          item.blocked = true;
          itemStatus(item, data.message || String(response.status), true);
        }
        return true;
      });
    });
  }

  function flush() {
    if (sending) { return; }
    var pending = Object.keys(items).map(function (k) { return items[k]; }).filter(function (i) { return i.dirty && !i.blocked; });
    if (!pending.length) { return; }
    if (navigator.onLine === false) { setStatus(msg("Offline")); return; }
    sending = true;
    setStatus(msg("Saving"));
    var chain = Promise.resolve();
    pending.forEach(function (item) { chain = chain.then(function () { return send(item); }); });
    chain.then(function () {
      var left = Object.keys(items).some(function (k) { return items[k].dirty; });
      setStatus(left ? msg("Unsaved") : msg("Saved"));
    }, function () {
      setStatus(msg("Offline"));
    }).then(function () { sending = false; });
  }

  // Show "why it does not apply" only for "not applicable" (and whenever it already has text).
  function toggleFields(item) {
    var choice = read(item).choice;
    var justification = el(item, "justification");
    justification.closest(".field").hidden = choice !== "not_applicable" && !justification.value;
  }

  form.querySelectorAll("fieldset.item").forEach(function (node) {
    var item = { node: node, code: node.dataset.process, prefix: node.dataset.prefix, dirty: false, blocked: false };
    items[item.code] = item;
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(storePrefix + item.code) || "null"); } catch (e) { stored = null; }
    if (stored && stored.values && !node.classList.contains("conflict")) {
      if (JSON.stringify(stored.values) !== JSON.stringify(read(item))) {
        write(item, stored.values);
        el(item, "version").value = stored.version;
        item.dirty = true;
      } else {
        forget(item);
      }
    }
    toggleFields(item);
    node.addEventListener("input", function () { remember(item); });
    node.addEventListener("change", function () { remember(item); toggleFields(item); });
  });

  form.addEventListener("submit", function () {
    // the Save button posts everything; what is stored locally is sent again only if it differs afterwards
    Object.keys(items).forEach(function (k) { items[k].blocked = true; });
  });
  window.addEventListener("online", flush);
  setInterval(flush, INTERVAL);
  flush();
})();
