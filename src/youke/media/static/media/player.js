/* The lesson player (portal/_player.html).
 *
 * - HLS through hls.js where MediaSource exists, native HLS where the browser has it
 *   (Safari, iOS), the progressive MP4 otherwise or when HLS fails;
 * - speed 0.75×–2×; resume where this person stopped (POST every ~10 s and on pause);
 * - one chapter per period video; a seek bar with the nearest thumbnail on hover;
 * - a chapter with a "view" URL (the library) reports one view after 10 s of playback;
 *   a chapter without a "position" URL (anonymous visitors, a comparison's other side) does
 *   not save where it stopped;
 * - any element with data-seek-seconds="N" seeks the page's first player to N seconds
 *   (or the player whose data-player equals its data-seek-player).
 */
(function () {
  "use strict";

  var SAVE_EVERY_MS = 10000;
  var VIEW_AFTER_SECONDS = 10;

  function csrf(root) {
    var token = root.getAttribute("data-csrf-token");
    if (token) return token;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m;
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }

  function Player(root, chapters) {
    this.root = root;
    this.chapters = chapters;
    this.video = root.querySelector("[data-player-video]");
    this.status = root.querySelector("[data-player-status]");
    this.messages = root.querySelector("[data-player-messages]");
    this.seek = root.querySelector("[data-player-seek]");
    this.fill = root.querySelector("[data-player-seek-fill]");
    this.preview = root.querySelector("[data-player-seek-preview]");
    this.previewImage = root.querySelector("[data-player-seek-image]");
    this.previewTime = root.querySelector("[data-player-seek-time]");
    this.speed = root.querySelector("[data-player-speed]");
    this.hls = null;
    this.current = null;
    this.lastSaved = null;
    this.pendingSeek = null;
    this.watched = 0;
    this.lastTick = null;
    this.viewReported = false;
    this.bind();
    this.load(0);
  }

  Player.prototype.say = function (text) {
    if (this.status) this.status.textContent = text;
  };

  Player.prototype.message = function (name) {
    return this.messages ? this.messages.getAttribute("data-" + name) || "" : "";
  };

  Player.prototype.detach = function () {
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
  };

  Player.prototype.load = function (index) {
    var chapter = this.chapters[index];
    if (!chapter) return;
    if (this.current !== null) this.save(true);
    this.detach();
    this.current = index;
    this.lastSaved = null;
    var video = this.video;
    var self = this;
    if (chapter.poster) video.setAttribute("poster", chapter.poster);
    else video.removeAttribute("poster");
    var buttons = this.root.querySelectorAll("[data-player-chapter]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(i === index));
      buttons[i].classList.toggle("active", i === index);
    }
    video.dataset.source = "";
    if (chapter.hls && window.Hls && window.Hls.isSupported()) {
      // No worker: hls.js would start it from a blob: URL, which the strict CSP forbids.
      var hls = new window.Hls({ startPosition: this.resumeAt(chapter), enableWorker: false });
      this.hls = hls;
      video.dataset.source = "hls.js";
      hls.on(window.Hls.Events.ERROR, function (event, data) {
        if (data.fatal) {
          // The progressive MP4 is the fallback for any fatal HLS error.
          self.detach();
          self.progressive(chapter);
        }
      });
      hls.loadSource(chapter.hls);
      hls.attachMedia(video);
    } else if (chapter.hls && video.canPlayType("application/vnd.apple.mpegurl")) {
      video.dataset.source = "native-hls";
      video.src = chapter.hls;
    } else {
      this.progressive(chapter);
    }
    video.playbackRate = parseFloat(this.speed.value) || 1;
  };

  Player.prototype.progressive = function (chapter) {
    this.video.dataset.source = "mp4";
    this.video.src = chapter.mp4;
  };

  Player.prototype.resumeAt = function (chapter) {
    var at = chapter.resume || 0;
    var duration = chapter.duration || 0;
    // Near the end means finished: start again from the beginning.
    if (at < 1 || (duration && at > duration - 3)) return -1;
    return at;
  };

  Player.prototype.save = function (force) {
    var chapter = this.chapters[this.current];
    var video = this.video;
    // A chapter without a position URL (a comparison's other side) keeps no position.
    if (!chapter || !chapter.position || !isFinite(video.currentTime)) return;
    var seconds = Math.round(video.currentTime * 100) / 100;
    if (!force && this.lastSaved !== null && Math.abs(seconds - this.lastSaved) < 1) return;
    if (seconds === 0 && this.lastSaved === null) return;
    this.lastSaved = seconds;
    chapter.resume = seconds;
    var body = new FormData();
    body.append("seconds", String(seconds));
    var self = this;
    fetch(chapter.position, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(this.root) },
      keepalive: true,
    }).then(function (response) {
      if (!response.ok) self.say(self.message("saved-failed"));
    }).catch(function () {
      self.say(self.message("saved-failed"));
    });
  };

  // Seconds actually played (seeking does not count); one report per page.
  Player.prototype.tick = function () {
    var video = this.video;
    var chapter = this.chapters[this.current];
    if (this.viewReported || !chapter || !chapter.view) return;
    var now = video.currentTime;
    if (this.lastTick !== null && now > this.lastTick && now - this.lastTick < 2) {
      this.watched += now - this.lastTick;
    }
    this.lastTick = now;
    if (this.watched < VIEW_AFTER_SECONDS) return;
    this.viewReported = true;
    fetch(chapter.view, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(this.root) },
      keepalive: true,
    }).catch(function () {});
  };

  Player.prototype.seekTo = function (seconds) {
    var video = this.video;
    if (video.readyState >= 1) {
      video.currentTime = seconds;
    } else {
      this.pendingSeek = seconds;
    }
  };

  Player.prototype.bind = function () {
    var self = this;
    var video = this.video;
    this.speed.addEventListener("change", function () {
      video.playbackRate = parseFloat(self.speed.value) || 1;
    });
    video.addEventListener("loadedmetadata", function () {
      var chapter = self.chapters[self.current];
      if (self.pendingSeek !== null) {
        video.currentTime = self.pendingSeek;
        self.pendingSeek = null;
      } else if (video.dataset.source !== "hls.js") {
        var at = self.resumeAt(chapter);
        if (at > 0) video.currentTime = at;
      }
      var resumed = self.resumeAt(chapter);
      if (resumed > 0) self.say(self.message("resumed") + clock(resumed));
      video.playbackRate = parseFloat(self.speed.value) || 1;
    });
    video.addEventListener("pause", function () {
      self.save(true);
    });
    video.addEventListener("error", function () {
      if (video.dataset.source === "native-hls") {
        self.progressive(self.chapters[self.current]);
        return;
      }
      self.say(self.message("failed"));
    });
    video.addEventListener("timeupdate", function () {
      var duration = video.duration || self.chapters[self.current].duration || 0;
      var share = duration ? (video.currentTime / duration) * 100 : 0;
      self.fill.style.width = share + "%";
      self.seek.setAttribute("aria-valuenow", String(Math.round(share)));
      self.tick();
    });
    video.addEventListener("seeking", function () {
      self.lastTick = null;
    });
    window.setInterval(function () {
      if (!video.paused && !video.ended) self.save(false);
    }, SAVE_EVERY_MS);
    window.addEventListener("pagehide", function () {
      if (!video.paused) self.save(true);
    });

    var chapterButtons = this.root.querySelectorAll("[data-player-chapter]");
    for (var i = 0; i < chapterButtons.length; i++) {
      chapterButtons[i].addEventListener("click", function (event) {
        self.load(parseInt(event.currentTarget.getAttribute("data-player-chapter"), 10));
      });
    }

    function secondsAt(clientX) {
      var box = self.seek.getBoundingClientRect();
      var share = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
      var duration = video.duration || self.chapters[self.current].duration || 0;
      return { share: share, seconds: share * duration };
    }
    this.seek.addEventListener("mousemove", function (event) {
      var at = secondsAt(event.clientX);
      var thumbs = self.chapters[self.current].thumbs || [];
      self.previewTime.textContent = clock(at.seconds);
      if (thumbs.length) {
        // Thumbnails sit at 1/(n+1), 2/(n+1) … of the video: take the nearest.
        var index = Math.round(at.share * (thumbs.length + 1)) - 1;
        index = Math.min(thumbs.length - 1, Math.max(0, index));
        if (self.previewImage.getAttribute("src") !== thumbs[index]) {
          self.previewImage.setAttribute("src", thumbs[index]);
        }
        self.previewImage.hidden = false;
      } else {
        self.previewImage.hidden = true;
      }
      self.preview.style.left = at.share * 100 + "%";
      self.preview.hidden = false;
    });
    this.seek.addEventListener("mouseleave", function () {
      self.preview.hidden = true;
    });
    this.seek.addEventListener("click", function (event) {
      self.seekTo(secondsAt(event.clientX).seconds);
    });
    this.seek.addEventListener("keydown", function (event) {
      var step = event.key === "ArrowRight" ? 5 : event.key === "ArrowLeft" ? -5 : 0;
      if (step) {
        event.preventDefault();
        self.seekTo(Math.max(0, video.currentTime + step));
      }
    });
  };

  var players = [];

  function start() {
    // A page may hold several players (e.g. two videos side by side): each root names its
    // chapter data with data-chapters-id; the default is the single "player-chapters".
    var roots = document.querySelectorAll("[data-player]");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      var data = document.getElementById(root.getAttribute("data-chapters-id") || "player-chapters");
      if (!data || !root.querySelector("[data-player-video]")) continue;
      var chapters = JSON.parse(data.textContent);
      if (chapters.length) players.push(new Player(root, chapters));
      if (!root.hasAttribute("data-chapters-id")) break;
    }
  }

  function playerFor(target) {
    var name = target.getAttribute("data-seek-player");
    for (var i = 0; name && i < players.length; i++) {
      if (players[i].root.getAttribute("data-player") === name) return players[i];
    }
    return players[0];
  }

  // The contract with other page parts (e.g. the rubric's time stamps): a click on any
  // element with data-seek-seconds seeks the page's first player.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-seek-seconds]") : null;
    if (!target || !players.length) return;
    var seconds = parseFloat(target.getAttribute("data-seek-seconds"));
    if (!isFinite(seconds) || seconds < 0) return;
    event.preventDefault();
    var player = playerFor(target);
    player.seekTo(seconds);
    player.video.scrollIntoView({ block: "nearest" });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.youkePlayers = players;
})();
