/* natije — the situation room's display (/room, docs/room.md; the view is dashboards/_room.py).

   Everything here works while the server is away, which a Dash callback cannot:
   - rotation: the next panel every data-rotate seconds (arrow keys move, space pauses, dots jump);
   - the clock, in Asia/Almaty, in the page's language;
   - the poll: GET /room/status every data-refresh seconds (one indexed read on the server). A new data
     version sets the Dash store "room-signal", whose callback redraws the panels and the ticker in place;
     an unchanged one only moves each panel's "checked" time forward;
   - self-healing: a failed poll shows "reconnecting" and retries every few seconds; after 2 × refresh
     without an answer each panel shows its "stale" badge; the first answer clears both, and any
     version missed meanwhile is redrawn;
   - a full reload every data-reload seconds (only once the server answers) keeps browser memory bounded;
   - new alerts: ticker items the display has not seen before are marked for a day (localStorage).
*/
(function () {
  "use strict";

  var TIME_ZONE = "Asia/Almaty";
  var WEEKDAYS = {Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6};
  // The calendar fields of an instant in Asia/Almaty (numbers only: no locale data needed).
  var FIELDS = new Intl.DateTimeFormat("en-GB", {timeZone: TIME_ZONE, weekday: "short", day: "numeric",
    month: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"});
  var RETRY_MS = 3000;
  var POLL_TIMEOUT_MS = 10000;  // the status answer takes under a millisecond: 10 s is a server that hangs
  var NEW_FOR_MS = 24 * 3600 * 1000;
  var SEEN_KEY = "natije.room.seen";
  var TICKER_PX_PER_S = 90;
  var room = null;

  function number(value, fallback) {
    var parsed = parseInt(value, 10);
    return isFinite(parsed) && parsed > 0 ? parsed : fallback;
  }

  function almaty(when) {
    var parts = {};
    FIELDS.formatToParts(when).forEach(function (part) { parts[part.type] = part.value; });
    return {weekday: WEEKDAYS[parts.weekday], day: parseInt(parts.day, 10), month: parseInt(parts.month, 10),
            time: parts.hour + ":" + parts.minute + ":" + parts.second};
  }

  // The clock in the page's words (data-clock: pattern, months, weekdays; see dashboards/_room.py).
  function clockText(words, when) {
    var at = almaty(when);
    return words.pattern.replace("{weekday}", words.weekdays[at.weekday]).replace("{day}", String(at.day))
      .replace("{month}", words.months[at.month - 1]).replace("{time}", at.time);
  }

  function Room(root) {
    this.root = root;
    this.rotateMs = number(root.getAttribute("data-rotate"), 30) * 1000;
    this.refreshMs = number(root.getAttribute("data-refresh"), 60) * 1000;
    this.reloadAt = Date.now() + number(root.getAttribute("data-reload"), 21600) * 1000;
    this.version = root.getAttribute("data-version");
    this.asked = null;          // {version, at}: the redraw asked of the server and not yet seen
    this.lastAnswer = Date.now();
    this.index = 0;
    this.paused = false;
    this.timers = [];
    try {
      this.clockWords = JSON.parse(root.getAttribute("data-clock"));
    } catch (error) {
      this.clockWords = null;
    }
    this.start();
  }

  Room.prototype.alive = function () {
    return this.root.isConnected;
  };

  Room.prototype.stop = function () {
    this.timers.forEach(function (timer) { clearTimeout(timer); clearInterval(timer); });
    this.timers = [];
  };

  Room.prototype.later = function (fn, ms) {
    var self = this;
    var timer = setTimeout(function () {
      self.timers.splice(self.timers.indexOf(timer), 1);
      if (self.alive()) { fn.call(self); } else { self.stop(); }
    }, ms);
    this.timers.push(timer);
  };

  Room.prototype.panels = function () {
    return Array.prototype.slice.call(this.root.querySelectorAll(".nt-room__panel"));
  };

  Room.prototype.show = function (index) {
    var panels = this.panels();
    if (!panels.length) { return; }
    this.index = ((index % panels.length) + panels.length) % panels.length;
    var current = this.index;
    panels.forEach(function (panel, i) {
      panel.classList.toggle("is-active", i === current);
      panel.setAttribute("aria-hidden", i === current ? "false" : "true");
    });
    Array.prototype.forEach.call(this.root.querySelectorAll(".nt-room__dot"), function (dot, i) {
      dot.setAttribute("aria-current", i === current ? "true" : "false");
    });
    this.root.setAttribute("data-active", String(current));
  };

  Room.prototype.rotate = function () {
    if (!this.paused) { this.show(this.index + 1); }
    this.later(this.rotate, this.rotateMs);
  };

  Room.prototype.tick = function () {
    var clock = this.root.querySelector(".nt-room__clock");
    var now = new Date();
    if (clock && this.clockWords) {
      clock.textContent = clockText(this.clockWords, now);
      clock.setAttribute("datetime", now.toISOString());
    }
    this.later(this.tick, 1000 - (Date.now() % 1000) + 5);
  };

  Room.prototype.setConnected = function (connected) {
    var badge = document.getElementById("room-connection");
    if (badge) { badge.hidden = connected; }
    this.root.classList.toggle("is-offline", !connected);
    var stale = !connected && Date.now() - this.lastAnswer > 2 * this.refreshMs;
    Array.prototype.forEach.call(this.root.querySelectorAll(".nt-room__badge--stale"), function (el) {
      el.hidden = !stale;
    });
  };

  Room.prototype.markChecked = function (when) {
    var text = this.root.getAttribute("data-text-checked") || "{time}";
    var label = text.replace("{time}", almaty(when).time);
    Array.prototype.forEach.call(this.root.querySelectorAll(".nt-room__checked"), function (el) {
      el.textContent = label;
      el.setAttribute("datetime", when.toISOString());
    });
  };

  Room.prototype.redraw = function (version) {
    var clientside = window.dash_clientside;
    if (!clientside || typeof clientside.set_props !== "function") { return; }
    this.asked = {version: version, at: Date.now()};
    clientside.set_props("room-signal", {data: {version: version, asked: this.asked.at}});
  };

  Room.prototype.answered = function (status) {
    this.lastAnswer = Date.now();
    this.setConnected(true);
    if (Date.now() >= this.reloadAt) {
      window.location.reload();
      return;
    }
    var version = String(status.data_version);
    var shown = this.root.querySelector(".nt-room__shown");
    var drawn = shown ? shown.textContent : this.version;
    var waiting = this.asked && this.asked.version === version && Date.now() - this.asked.at < 2 * this.refreshMs;
    if (version !== drawn && !waiting) {
      this.redraw(version);
    } else if (version === drawn) {
      this.asked = null;
      this.markChecked(new Date());
    }
    this.later(this.poll, this.refreshMs);
  };

  Room.prototype.failed = function () {
    this.setConnected(false);
    this.later(this.poll, Math.min(RETRY_MS, this.refreshMs));
  };

  Room.prototype.poll = function () {
    var self = this;
    // A server that accepts the connection but never answers counts as away, too.
    var controller = new AbortController();
    var deadline = setTimeout(function () { controller.abort(); }, POLL_TIMEOUT_MS);
    fetch("/room/status", {cache: "no-store", headers: {Accept: "application/json"}, signal: controller.signal})
      .finally(function () { clearTimeout(deadline); })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (status) { if (self.alive()) { self.answered(status); } },
            function () { if (self.alive()) { self.failed(); } });
  };

  Room.prototype.markNew = function () {
    var seen = {};
    var first = false;
    try {
      var stored = window.localStorage.getItem(SEEN_KEY);
      if (stored === null) { first = true; } else { seen = JSON.parse(stored) || {}; }
    } catch (error) {
      seen = {};
    }
    var now = Date.now();
    var kept = {};
    Array.prototype.forEach.call(this.root.querySelectorAll(".nt-room__alert[data-key]"), function (item) {
      var key = item.getAttribute("data-key");
      var since = Object.prototype.hasOwnProperty.call(seen, key) ? seen[key] : (first ? 0 : now);
      kept[key] = since;
      item.classList.toggle("is-new", since > 0 && now - since < NEW_FOR_MS);
    });
    try { window.localStorage.setItem(SEEN_KEY, JSON.stringify(kept)); } catch (error) { /* private mode */ }
  };

  Room.prototype.sizeTicker = function () {
    var ticker = this.root.querySelector(".nt-room__ticker");
    if (!ticker) { return; }
    var seconds = Math.max(20, Math.round(ticker.scrollWidth / TICKER_PX_PER_S));
    ticker.style.setProperty("--nt-ticker-seconds", seconds + "s");
  };

  Room.prototype.watchTicker = function () {
    var self = this;
    var ticker = this.root.querySelector(".nt-room__ticker");
    if (!ticker) { return; }
    this.observer = new MutationObserver(function () {
      self.markNew();
      self.sizeTicker();
    });
    this.observer.observe(ticker, {childList: true});
  };

  Room.prototype.keys = function () {
    var self = this;
    this.onKey = function (event) {
      if (!self.alive()) { document.removeEventListener("keydown", self.onKey); return; }
      if (event.key === "ArrowRight") { self.show(self.index + 1); }
      else if (event.key === "ArrowLeft") { self.show(self.index - 1); }
      else if (event.key === " ") {
        self.paused = !self.paused;
        self.root.classList.toggle("is-paused", self.paused);
        event.preventDefault();
      }
    };
    document.addEventListener("keydown", this.onKey);
    this.root.addEventListener("click", function (event) {
      var dot = event.target.closest ? event.target.closest(".nt-room__dot") : null;
      if (dot) { self.show(number(dot.getAttribute("data-index"), 0) || 0); }
    });
  };

  Room.prototype.start = function () {
    this.show(0);
    this.markNew();
    this.sizeTicker();
    this.watchTicker();
    this.keys();
    this.tick();
    this.later(this.rotate, this.rotateMs);
    this.poll();
  };

  function attach() {
    var root = document.getElementById("room");
    if (root && (!room || room.root !== root)) {
      if (room) { room.stop(); }
      room = new Room(root);
    }
  }

  new MutationObserver(attach).observe(document.documentElement, {childList: true, subtree: true});
  attach();
})();
