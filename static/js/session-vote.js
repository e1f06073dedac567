// The participant's phone page: votes and proposals are sent in the background, each with a
// key made here, and shown as saved only when the server confirmed them. What was not
// confirmed (no network at the venue) waits in a queue, kept across reloads, and is resent
// with the same key when the connection returns: the server counts a key once.
// Without this script the forms post as plain forms, with a key made by the server.
"use strict";
(function () {
  var section = document.getElementById("ronde");
  if (!section || !window.fetch) return;
  document.documentElement.classList.add("kompas-js");  // shows the tap lists, hides the selects
  var csrf = (document.querySelector('meta[name="kompas-csrf"]') || {}).content || "";
  var store = "kompas-wachtrij:" + location.pathname;
  var sentIn = "kompas-eigen:" + location.pathname;  // the rounds this phone sent something in
  var sending = false;
  var retry = null;

  function newKey() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function queue() {
    try { return JSON.parse(localStorage.getItem(store) || "[]"); } catch (e) { return []; }
  }
  function save(q) {
    try { localStorage.setItem(store, JSON.stringify(q)); } catch (e) { /* private mode: memory only */ }
  }

  // A round's render from the live stream is the page of a phone that sent nothing in it, so
  // a phone that did (in this tab or another) fetches its own page instead.
  var mine = [];  // the same, for a browser that keeps nothing (private mode)
  function rounds() {
    try { return mine.concat(JSON.parse(localStorage.getItem(sentIn) || "[]")); } catch (e) { return mine; }
  }
  function sentInRound(id) {
    var seen = rounds();
    if (!id || seen.indexOf(String(id)) >= 0) return;
    mine.push(String(id));
    seen.push(String(id));
    try { localStorage.setItem(sentIn, JSON.stringify(seen.slice(-50))); } catch (e) { /* memory only */ }
  }
  function noteOwn() {
    var body = document.getElementById("ronde-inhoud");
    if (body && body.hasAttribute("data-eigen")) sentInRound(body.getAttribute("data-ronde"));
  }

  function say(text, alert) {
    var box = document.getElementById("melding");
    if (!box) return;
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "utrecht-paragraph " + (alert ? "kompas-refused" : "kompas-saved");
    p.textContent = text;
    box.appendChild(p);
  }

  function waiting() {
    var n = queue().length;
    if (n) say(n + (n === 1 ? " stem wacht" : " stemmen wachten") + " op verbinding en wordt opnieuw verstuurd. Nog niet opgeslagen.", true);
  }

  function refresh() {
    return fetch(section.getAttribute("data-page"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("ronde");
        if (!fresh) return;
        var message = document.getElementById("melding").innerHTML;
        section.innerHTML = fresh.innerHTML;
        document.getElementById("melding").innerHTML = message;
        noteOwn();
      })
      .catch(function () { /* offline: the page stays as it is */ });
  }

  function show(html) {
    var body = document.getElementById("ronde-inhoud");
    if (!body) return refresh();
    body.outerHTML = html;
    var tokens = section.querySelectorAll("input[name=_csrf]");
    for (var i = 0; i < tokens.length; i++) tokens[i].value = csrf;
  }

  var typed = null; // the form last sent, kept as typed when its answer is 422

  function flush() {
    if (sending) return;
    var q = queue();
    if (!q.length) return;
    sending = true;
    var entry = q[0];
    fetch(entry.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
      body: entry.body
    })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
      })
      .then(function (answer) {
        if (answer.status >= 500) throw new Error("server");
        if (answer.status === 200) sentInRound(answer.data.ronde);
        save(queue().filter(function (e) { return e.key !== entry.key; }));
        if (answer.status === 200) say(answer.data.melding || "Opgeslagen.", false);
        else say(answer.data.melding || "Niet opgeslagen. Laad de pagina opnieuw.", true);
        sending = false;
        if (answer.status === 422 && typed && typed.key === entry.key) {
          // input that can never be right: nothing changed, so the form keeps what was typed
          typed.button.disabled = false;
          typed.button.textContent = typed.label;
          if (queue().length) flush(); else waiting();
          return;
        }
        return refresh().then(function () { if (queue().length) flush(); else waiting(); });
      })
      .catch(function () {
        sending = false;
        waiting();
        clearTimeout(retry);
        retry = setTimeout(flush, 3000);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-stem")) return;
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    var key = newKey();
    data.set("sleutel", key);
    var q = queue();
    q.push({ action: form.getAttribute("action"), body: data.toString(), key: key });
    save(q);
    var button = form.querySelector("button[type=submit]");
    typed = button ? { key: key, button: button, label: button.textContent } : null;
    if (button) { button.disabled = true; button.textContent = "Wordt verstuurd…"; }
    say("Wordt verstuurd…", false);
    if (form.querySelector("textarea")) form.querySelector("textarea").value = "";
    flush();
  });

  // Ranking by tapping: each tap gives a choice the next place (in the form's selects, which
  // are sent as without this script); tapping a placed choice takes it back and closes the gap.
  function places(form) {
    return Array.prototype.slice.call(form.querySelectorAll("select[name^=plaats-]"));
  }
  function showPlaces(form) {
    var buttons = form.querySelectorAll("[data-plaats]");
    for (var i = 0; i < buttons.length; i++) {
      var place = document.getElementById(buttons[i].getAttribute("data-plaats")).value;
      buttons[i].setAttribute("aria-pressed", place ? "true" : "false");
      var badge = buttons[i].querySelector(".kompas-tap__place");
      badge.textContent = "";
      if (place) {
        var hidden = document.createElement("span");
        hidden.className = "kompas-visually-hidden";
        hidden.textContent = "Plaats ";
        badge.appendChild(hidden);
        badge.appendChild(document.createTextNode(place));
      }
    }
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-plaats], [data-plaatsen-wissen]") : null;
    if (!target) return;
    var form = target.form;
    var selects = places(form);
    if (target.hasAttribute("data-plaatsen-wissen")) {
      selects.forEach(function (s) { s.value = ""; });
      say("Je volgorde is leeg; tik de keuzes opnieuw aan.", false);
    } else {
      var select = document.getElementById(target.getAttribute("data-plaats"));
      var text = target.querySelector(".kompas-tap__text").textContent;
      if (select.value) {
        var taken = +select.value;
        select.value = "";
        selects.forEach(function (s) { if (+s.value > taken) s.value = String(+s.value - 1); });
        say("Teruggenomen: " + text + ".", false);
      } else {
        var next = 1 + selects.reduce(function (most, s) { return Math.max(most, +s.value || 0); }, 0);
        select.value = String(next);
        say("Plaats " + next + ": " + text + ".", false);
      }
    }
    showPlaces(form);
  });

  window.addEventListener("online", flush);
  if (window.EventSource && section.getAttribute("data-live")) {
    var source = new EventSource(section.getAttribute("data-live"));
    var state = null;
    // `ronde`: the round state on the first line, then (while the session runs) the round as
    // a phone shows it that sent nothing in it: swapped in without fetching the page.
    source.addEventListener("ronde", function (event) {
      var split = event.data.indexOf("\n");
      var now = split < 0 ? event.data : event.data.slice(0, split);
      if (state !== null && state !== now && !queue().length) {
        var round = now.split(":")[0];
        if (split < 0 || rounds().indexOf(round) >= 0) refresh();
        else show(event.data.slice(split + 1));
      }
      state = now;
    });
  }
  noteOwn();
  waiting();
  flush();
})();
