/*
 * Resumable uploads for youke: check the file in the browser, then send it over tus.
 *
 * Needs the global `tus` from tus-js-client (vendor/tus/tus.min.js), loaded first.
 * Binds every element carrying `data-upload` (now and after htmx swaps):
 *
 *   <div data-upload data-upload-endpoint="/api/v1/uploads/"
 *        data-spec='{"max_bytes": 1073741824, "extensions": ["mp4"], "min_width": 1920,
 *                    "min_height": 1080, "aspect_ratio": "16:9", "min_duration_seconds": 600,
 *                    "max_duration_seconds": 1200, "warn_only": ["aspect_ratio"]}'
 *        data-metadata='{"purpose": "material", "submission": "12", "material": "video"}'
 *        data-csrf-token="…">                 (optional: else the csrftoken cookie is used)
 *     <input type="file" data-upload-input>
 *     <progress data-upload-progress max="100" value="0"></progress>  (or a .progress-bar)
 *     <span data-upload-speed></span> <span data-upload-eta></span>
 *     <button type="button" data-upload-pause>暂停</button>
 *     <button type="button" data-upload-resume hidden>继续</button>
 *     <input type="hidden" name="upload" data-upload-result>          (optional)
 *     <div data-upload-message role="status" aria-live="polite"></div>
 *   </div>
 *
 * The browser check is a courtesy so nobody sends 1 GB to learn the resolution is wrong;
 * the server repeats every check. On success the root element dispatches `youke:uploaded`
 * with {id, url, filename, size} in `event.detail`.
 */
(function () {
  "use strict";

  var CHUNK_SIZE = 8 * 1024 * 1024;
  // Weak rural connections drop for minutes: keep retrying for about three minutes.
  var RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000, 60000];
  var METADATA_TIMEOUT_MS = 15000;
  var VIDEO_EXTENSIONS = ["mp4", "mov", "m4v", "webm", "mkv", "avi", "flv", "wmv", "mpg", "mpeg", "ts"];

  // Django's JavaScript catalog provides these when loaded; otherwise the Chinese source text.
  var gettext = window.gettext || function (text) { return text; };
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  var SIZE_UNITS = [["GB", 1024 * 1024 * 1024], ["MB", 1024 * 1024], ["KB", 1024]];

  // The same style as the server's ``filesize`` filter: KB, MB or GB with one decimal.
  function formatBytes(size) {
    for (var i = 0; i < SIZE_UNITS.length - 1; i++) {
      if (size >= SIZE_UNITS[i][1]) {
        return (size / SIZE_UNITS[i][1]).toFixed(1) + " " + SIZE_UNITS[i][0];
      }
    }
    return (size / 1024).toFixed(1) + " KB";
  }

  // Truncated to `digits` decimals, never rounded up: a size just over a limit must not
  // read as the limit itself.
  function truncatedIn(size, factor, unit, digits) {
    var scale = Math.pow(10, digits);
    var text = (Math.floor(size * scale / factor) / scale).toFixed(digits);
    return text.replace(/\.?0+$/, "") + " " + unit;
  }

  function groupDigits(size) {
    return String(size).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // "size exceeds limit" texts that never read alike (the server's over_limit_sizes).
  function overLimitSizes(size, limit) {
    var limitText = formatBytes(limit);
    var unit = limitText.split(" ")[1];
    if (unit === "B") return [formatBytes(size), limitText];  // exact bytes already
    for (var i = 0; i < SIZE_UNITS.length; i++) {
      if (SIZE_UNITS[i][0] !== unit) continue;
      for (var digits = 1; digits <= 6; digits++) {
        var text = truncatedIn(size, SIZE_UNITS[i][1], unit, digits);
        if (text !== truncatedIn(limit, SIZE_UNITS[i][1], unit, digits)) return [text, limitText];
      }
    }
    var bytes = gettext("%(count)s 字节");
    return [format(bytes, { count: groupDigits(size) }), format(bytes, { count: groupDigits(limit) })];
  }

  function formatDuration(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    if (hours) {
      return format(gettext("%(h)s 小时 %(m)s 分"), { h: hours, m: minutes });
    }
    if (minutes) {
      return rest
        ? format(gettext("%(m)s 分 %(s)s 秒"), { m: minutes, s: rest })
        : format(gettext("%(m)s 分钟"), { m: minutes });
    }
    return format(gettext("%(s)s 秒"), { s: rest });
  }

  function gcd(a, b) { return b ? gcd(b, a % b) : a; }

  function ratioText(width, height) {
    var d = gcd(width, height);
    var w = width / d;
    var h = height / d;
    return w <= 64 && h <= 64 ? w + ":" + h : (width / height).toFixed(2) + ":1";
  }

  function parseRatio(text) {
    var parts = String(text).split(/[:x×/]/);
    var value = parts.length === 2 ? Number(parts[0]) / Number(parts[1]) : Number(text);
    return isFinite(value) && value > 0 ? value : null;
  }

  function extensionOf(name) {
    var dot = name.lastIndexOf(".");
    return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  }

  function readJson(element, attribute) {
    var raw = element.getAttribute(attribute);
    if (!raw) return {};
    try {
      return JSON.parse(raw);
    } catch (error) {
      return {};
    }
  }

  function csrfToken(root) {
    var token = root.getAttribute("data-csrf-token");
    if (token) return token;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // --- checks before any byte is sent ------------------------------------------------------

  function checkFile(file, spec) {
    var problems = [];
    var extension = extensionOf(file.name);
    var allowed = (spec.extensions || []).map(function (item) {
      return String(item).toLowerCase().replace(/^\./, "");
    });
    var bare = file.name.replace(/^\s+|\s+$/g, "");
    if (/^\.+[^.]+$/.test(bare)) {
      problems.push({
        rule: "name",
        message: format(
          gettext("文件名“%(name)s”只有扩展名，没有名称。请把文件改名（例如“教学设计%(name)s”）后重新选择上传。"),
          { name: bare.replace(/^\.+/, ".") }
        ),
      });
    } else if (allowed.length && allowed.indexOf(extension) < 0) {
      problems.push({
        rule: "extensions",
        message: format(
          gettext("文件“%(name)s”的格式为 %(ext)s，本材料只接受 %(allowed)s 格式，请转换格式后再上传。"),
          { name: file.name, ext: extension ? "." + extension : gettext("未知"), allowed: allowed.join(gettext("、")) }
        ),
      });
    }
    if (file.size === 0) {
      problems.push({
        rule: "empty",
        message: format(gettext("文件“%(name)s”是空的（0 字节），请检查文件内容后重新选择。"), { name: file.name }),
      });
    }
    if (spec.max_bytes && file.size > spec.max_bytes) {
      var sizes = overLimitSizes(file.size, spec.max_bytes);
      problems.push({
        rule: "max_bytes",
        message: format(
          gettext("文件大小为 %(size)s，超过本材料允许的 %(limit)s，请压缩或重新导出后再上传。"),
          { size: sizes[0], limit: sizes[1] }
        ),
      });
    }
    return problems;
  }

  function needsVideoCheck(file, spec) {
    var rules = ["min_width", "min_height", "aspect_ratio", "min_duration_seconds", "max_duration_seconds"];
    var wanted = rules.some(function (rule) { return spec[rule]; });
    var isVideo = /^video\//.test(file.type) || VIDEO_EXTENSIONS.indexOf(extensionOf(file.name)) >= 0;
    return wanted && isVideo;
  }

  function readVideoMetadata(file) {
    return new Promise(function (resolve) {
      var video = document.createElement("video");
      var url = URL.createObjectURL(file);
      var done = false;
      function finish(result) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        video.removeAttribute("src");
        video.load();
        URL.revokeObjectURL(url);
        resolve(result);
      }
      var timer = setTimeout(function () { finish(null); }, METADATA_TIMEOUT_MS);
      video.preload = "metadata";
      video.muted = true;
      video.hidden = true;
      video.addEventListener("loadedmetadata", function () {
        finish({ width: video.videoWidth, height: video.videoHeight, duration: video.duration });
      });
      video.addEventListener("error", function () { finish(null); });
      video.src = url;
    });
  }

  function checkVideo(info, spec) {
    var problems = [];
    var minWidth = spec.min_width || 0;
    var minHeight = spec.min_height || 0;
    if ((minWidth && info.width < minWidth) || (minHeight && info.height < minHeight)) {
      problems.push({
        rule: info.width < minWidth ? "min_width" : "min_height",
        message: format(
          gettext("视频分辨率为 %(w)s×%(h)s，低于要求的 %(mw)s×%(mh)s，请用 %(p)sp 重新导出后再上传。"),
          { w: info.width, h: info.height, mw: minWidth || "—", mh: minHeight || "—", p: minHeight || minWidth }
        ),
      });
    }
    var wantedRatio = spec.aspect_ratio ? parseRatio(spec.aspect_ratio) : null;
    if (wantedRatio && info.width && info.height) {
      var actual = info.width / info.height;
      if (Math.abs(actual - wantedRatio) / wantedRatio > 0.01) {
        problems.push({
          rule: "aspect_ratio",
          message: format(
            gettext("视频宽高比为 %(actual)s，要求为 %(wanted)s，请按 %(wanted)s 重新导出（不要加黑边或拉伸画面）后再上传。"),
            { actual: ratioText(info.width, info.height), wanted: spec.aspect_ratio }
          ),
        });
      }
    }
    var duration = info.duration;
    if (isFinite(duration)) {
      if (spec.min_duration_seconds && duration < spec.min_duration_seconds) {
        problems.push({
          rule: "min_duration_seconds",
          message: format(
            gettext("视频时长为 %(actual)s，短于要求的 %(wanted)s，请确认导出的是完整视频后再上传。"),
            { actual: formatDuration(duration), wanted: formatDuration(spec.min_duration_seconds) }
          ),
        });
      }
      if (spec.max_duration_seconds && duration > spec.max_duration_seconds) {
        problems.push({
          rule: "max_duration_seconds",
          message: format(
            gettext("视频时长为 %(actual)s，超过要求的 %(wanted)s，请剪辑到规定时长后再上传。"),
            { actual: formatDuration(duration), wanted: formatDuration(spec.max_duration_seconds) }
          ),
        });
      }
    }
    return problems;
  }

  // --- the uploader --------------------------------------------------------------------------

  function Uploader(root) {
    this.root = root;
    this.input = root.querySelector("[data-upload-input]");
    this.progress = root.querySelector("[data-upload-progress]");
    this.speed = root.querySelector("[data-upload-speed]");
    this.eta = root.querySelector("[data-upload-eta]");
    this.pauseButton = root.querySelector("[data-upload-pause]");
    this.resumeButton = root.querySelector("[data-upload-resume]");
    this.messages = root.querySelector("[data-upload-message]");
    this.result = root.querySelector("[data-upload-result]");
    this.endpoint = root.getAttribute("data-upload-endpoint") || "/api/v1/uploads/";
    this.spec = readJson(root, "data-spec");
    this.metadata = readJson(root, "data-metadata");
    this.upload = null;
    this.state = "idle";
    this.samples = [];
    this.bind();
    this.showButtons();
  }

  Uploader.prototype.bind = function () {
    var self = this;
    if (this.input) {
      this.input.addEventListener("change", function () {
        var file = self.input.files && self.input.files[0];
        if (file) self.select(file);
      });
    }
    if (this.pauseButton) {
      this.pauseButton.addEventListener("click", function () { self.pause(); });
    }
    if (this.resumeButton) {
      this.resumeButton.addEventListener("click", function () { self.resume(); });
    }
    // Back online after a cut that outlasted the retries: carry on by ourselves.
    window.addEventListener("online", function () {
      if (self.state === "failed" && self.upload) self.resume();
    });
  };

  Uploader.prototype.say = function (lines, tone) {
    if (!this.messages) return;
    this.messages.textContent = "";
    this.messages.className = this.messages.className.replace(/\btext-(danger|warning|success|muted)\b/g, "").trim();
    if (tone) this.messages.classList.add("text-" + tone);
    var list = Array.isArray(lines) ? lines : [lines];
    for (var i = 0; i < list.length; i++) {
      var line = document.createElement("div");
      line.textContent = list[i];
      this.messages.appendChild(line);
    }
  };

  Uploader.prototype.showButtons = function () {
    var uploading = this.state === "uploading";
    var resumable = this.state === "paused" || this.state === "failed";
    if (this.pauseButton) this.pauseButton.hidden = !uploading;
    if (this.resumeButton) this.resumeButton.hidden = !resumable;
  };

  Uploader.prototype.setState = function (state) {
    this.state = state;
    this.root.setAttribute("data-upload-state", state);
    this.showButtons();
  };

  Uploader.prototype.setProgress = function (sent, total) {
    var percent = total ? Math.floor((sent / total) * 1000) / 10 : 0;
    if (!this.progress) return;
    this.progress.hidden = false;  // a page may hide the bar until the first byte
    if (this.progress.tagName === "PROGRESS") {
      this.progress.max = 100;
      this.progress.value = percent;
    } else {
      // CSSOM writes are allowed under the strict CSP (inline style attributes are not).
      this.progress.style.width = percent + "%";
      this.progress.textContent = percent + "%";
    }
    this.progress.setAttribute("aria-valuenow", String(percent));
  };

  Uploader.prototype.measure = function (sent, total) {
    var now = Date.now();
    this.samples.push([now, sent]);
    // Speed over the last 10 seconds: steady enough to read, quick to follow a slowdown.
    while (this.samples.length > 2 && now - this.samples[0][0] > 10000) this.samples.shift();
    var first = this.samples[0];
    var seconds = (now - first[0]) / 1000;
    if (seconds < 1) return;
    var rate = (sent - first[1]) / seconds;
    if (this.speed) this.speed.textContent = format(gettext("%(speed)s/秒"), { speed: formatBytes(rate) });
    if (this.eta) {
      this.eta.textContent = rate > 0
        ? format(gettext("剩余约 %(time)s"), { time: formatDuration((total - sent) / rate) })
        : gettext("正在等待网络…");
    }
  };

  Uploader.prototype.select = function (file) {
    var self = this;
    if (this.upload && this.state === "uploading") this.upload.abort();
    this.upload = null;
    this.samples = [];
    this.setProgress(0, 1);
    if (this.result) this.result.value = "";
    if (!window.tus || !window.tus.isSupported) {
      this.setState("failed");
      this.say(gettext("当前浏览器不支持断点续传，请使用最新版 Chrome、Edge，或 360/QQ 浏览器的极速模式。"), "danger");
      return;
    }
    var warnOnly = this.spec.warn_only || [];
    var problems = checkFile(file, this.spec);
    this.setState("checking");
    var checked = Promise.resolve({ problems: problems, notes: [] });
    if (!problems.length && needsVideoCheck(file, this.spec)) {
      this.say(gettext("正在读取视频信息…"), "muted");
      checked = readVideoMetadata(file).then(function (info) {
        if (!info) {
          return {
            problems: [],
            notes: [gettext("浏览器无法预先读取该视频的信息（可能是编码不受支持），将在上传后由服务器检查。")],
          };
        }
        return { problems: checkVideo(info, self.spec), notes: [] };
      });
    }
    checked.then(function (outcome) {
      var blocking = outcome.problems.filter(function (p) { return warnOnly.indexOf(p.rule) < 0; });
      var warnings = outcome.problems.filter(function (p) { return warnOnly.indexOf(p.rule) >= 0; });
      if (blocking.length) {
        self.setState("rejected");
        self.say(blocking.map(function (p) { return p.message; }), "danger");
        if (self.input) self.input.value = "";
        return;
      }
      var notes = outcome.notes.concat(warnings.map(function (p) {
        return p.message + gettext("（此项不阻止提交，但会显示给评审专家。）");
      }));
      self.start(file, notes);
    });
  };

  Uploader.prototype.fingerprint = function (file) {
    // The material is part of the identity: the same file for two materials is two uploads.
    var metadata = this.metadata;
    var endpoint = this.endpoint;
    return function () {
      return Promise.resolve(
        ["youke", file.name, file.type, file.size, file.lastModified, endpoint, JSON.stringify(metadata)].join("|")
      );
    };
  };

  Uploader.prototype.start = function (file, notes) {
    var self = this;
    this.notes = notes;  // browser warnings stay visible after the upload finishes
    var metadata = {};
    Object.keys(this.metadata).forEach(function (key) { metadata[key] = String(self.metadata[key]); });
    metadata.filename = file.name;
    metadata.filetype = file.type || "application/octet-stream";
    var headers = {};
    var token = csrfToken(this.root);
    if (token) headers["X-CSRFToken"] = token;

    var upload = new window.tus.Upload(file, {
      endpoint: this.endpoint,
      chunkSize: CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      metadata: metadata,
      headers: headers,
      fingerprint: this.fingerprint(file),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: function (sent, total) {
        self.setProgress(sent, total);
        self.measure(sent, total);
      },
      onSuccess: function () { self.finished(file, upload); },
      onError: function (error) { self.failed(error); },
    });
    this.upload = upload;
    this.setState("uploading");
    this.setProgress(0, file.size);  // the bar shows at once, before the first byte lands
    this.say(notes.concat([gettext("正在上传，请不要关闭页面。网络中断后会自动续传。")]), notes.length ? "warning" : "muted");
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) {
        previous.sort(function (a, b) { return String(b.creationTime).localeCompare(String(a.creationTime)); });
        upload.resumeFromPreviousUpload(previous[0]);
        self.say(notes.concat([gettext("发现该文件未完成的上传，正在从上次中断处继续。")]), notes.length ? "warning" : "muted");
      }
      if (self.upload === upload && self.state === "uploading") upload.start();
    });
  };

  Uploader.prototype.pause = function () {
    if (!this.upload || this.state !== "uploading") return;
    this.upload.abort();
    this.setState("paused");
    this.samples = [];
    if (this.speed) this.speed.textContent = "";
    if (this.eta) this.eta.textContent = "";
    this.say(gettext("已暂停。点击“继续”从中断处接着上传，已上传的部分不会丢失。"), "muted");
  };

  Uploader.prototype.resume = function () {
    if (!this.upload) return;
    this.setState("uploading");
    this.samples = [];
    this.say(gettext("正在继续上传…"), "muted");
    this.upload.start();
  };

  Uploader.prototype.failed = function (error) {
    this.setState("failed");
    var response = error && error.originalResponse;
    var detail = "";
    if (response) {
      try {
        detail = JSON.parse(response.getBody() || "{}").detail || "";
      } catch (parseError) {
        detail = "";
      }
    }
    if (detail) {
      this.say(detail, "danger");
    } else {
      this.say(gettext("网络中断，上传已暂停。请检查网络后点击“继续”，已上传的部分不会丢失。"), "danger");
    }
  };

  Uploader.prototype.finished = function (file, upload) {
    this.setState("done");
    this.setProgress(1, 1);
    if (this.speed) this.speed.textContent = "";
    if (this.eta) this.eta.textContent = "";
    var url = new URL(upload.url, window.location.href).href;
    var id = url.replace(/\/+$/, "").split("/").pop();
    if (this.result) this.result.value = id;
    var done = format(gettext("“%(name)s”上传完成，服务器正在检查文件。"), { name: file.name });
    var notes = this.notes || [];
    this.say(notes.concat([done]), notes.length ? "warning" : "success");
    this.root.dispatchEvent(new CustomEvent("youke:uploaded", {
      bubbles: true,
      detail: { id: id, url: url, filename: file.name, size: file.size },
    }));
  };

  function bindAll(scope) {
    var roots = (scope || document).querySelectorAll("[data-upload]");
    for (var i = 0; i < roots.length; i++) {
      if (!roots[i].youkeUploader) roots[i].youkeUploader = new Uploader(roots[i]);
    }
  }

  window.youkeUpload = { bindAll: bindAll, checkFile: checkFile, checkVideo: checkVideo };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bindAll(document); });
  } else {
    bindAll(document);
  }
  document.addEventListener("htmx:load", function (event) { bindAll(event.target); });
})();
