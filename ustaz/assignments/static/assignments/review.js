// Reviewing a work: comments anchored to a time of a recording (the button, or C while playing) or to a
// region of a picture or PDF page (drag over it). Everyone sees the comments follow the playback: the one at
// the current time is shown under the player; clicking a comment plays from its time.
const area = document.getElementById("review-area");
const T = JSON.parse(document.getElementById("review-strings").textContent);
const data = JSON.parse(document.getElementById("comments-data").textContent);
const canReview = area.dataset.canReview === "1";
const csrf = document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
if (area.dataset.draft) localStorage.removeItem(area.dataset.draft);

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function drawWaveform(canvas, media) {
  const peaks = (canvas.dataset.peaks || "").split(",").filter(Boolean).map(Number);
  const context = canvas.getContext("2d");
  const draw = () => {
    canvas.width = canvas.clientWidth * devicePixelRatio;
    canvas.height = 80 * devicePixelRatio;
    const played = media.duration ? media.currentTime / media.duration : 0;
    const step = canvas.width / Math.max(1, peaks.length);
    context.clearRect(0, 0, canvas.width, canvas.height);
    peaks.forEach((peak, index) => {
      context.fillStyle = index / peaks.length < played ? "#0d6efd" : "#adb5bd";
      const height = Math.max(1, peak * canvas.height);
      context.fillRect(index * step, (canvas.height - height) / 2, Math.max(1, step - 1), height);
    });
  };
  canvas.addEventListener("click", (event) => {
    if (media.duration) media.currentTime = (event.offsetX / canvas.clientWidth) * media.duration;
  });
  media.addEventListener("timeupdate", draw);
  window.addEventListener("resize", draw);
  draw();
}

function setUp(section) {
  const fileId = section.dataset.file;
  const comments = data[fileId] || [];
  const list = section.querySelector(".comments");
  const media = section.querySelector(".review-media");
  const now = section.querySelector(".now-comment");
  const form = section.querySelector(".comment-form");
  const hosts = [...section.querySelectorAll(".region-host")];
  let region = null;

  function render() {
    list.replaceChildren();
    hosts.forEach((host) => host.querySelectorAll(".region-box").forEach((box) => box.remove()));
    comments.forEach((comment, index) => {
      const item = document.createElement("li");
      item.className = "comment mb-1";
      item.dataset.id = comment.id;
      const label = document.createElement(comment.start !== null ? "button" : "span");
      label.className = comment.start !== null ? "btn btn-link btn-sm p-0 me-2 comment-time" : "badge text-bg-secondary me-2";
      label.textContent = comment.start !== null ? clock(comment.start) : `${index + 1}`;
      if (comment.start !== null && media) {
        label.type = "button";
        label.addEventListener("click", () => {
          media.currentTime = comment.start;
          media.play();
        });
      }
      const text = document.createElement("span");
      text.className = "comment-text";
      text.textContent = comment.text;
      const who = document.createElement("span");
      who.className = "text-body-secondary ms-2";
      who.textContent = comment.author;
      item.append(label, text, who);
      list.append(item);
      if (comment.region) {
        const host = hosts.find((h) => String(h.dataset.page || "") === String(comment.page ?? "")) || hosts[0];
        if (host) {
          const box = document.createElement("div");
          box.className = "region-box position-absolute border border-2 border-danger";
          Object.assign(box.style, {
            left: `${comment.region.x * 100}%`,
            top: `${comment.region.y * 100}%`,
            width: `${comment.region.w * 100}%`,
            height: `${comment.region.h * 100}%`,
          });
          box.title = comment.text;
          const tag = document.createElement("span");
          tag.className = "badge text-bg-danger position-absolute top-0 start-0";
          tag.textContent = `${index + 1}`;
          box.append(tag);
          host.append(box);
        }
      }
    });
  }

  function follow() {
    if (!media || !now) return;
    const t = media.currentTime;
    const current = comments.filter((c) => c.start !== null && t >= c.start && t <= (c.end ?? c.start + 4));
    list.querySelectorAll(".comment").forEach((node) => {
      node.classList.toggle("fw-semibold", current.some((c) => String(c.id) === node.dataset.id));
    });
    now.hidden = current.length === 0;
    now.textContent = current.map((c) => `${clock(c.start)} ${c.text}`).join(" · ");
  }

  async function add(text) {
    const body = { text };
    if (media) {
      body.start = Math.round(media.currentTime * 10) / 10;
    } else if (region) {
      body.region = region.box;
      body.page = region.page ? Number(region.page) : null;
    }
    const response = await fetch(section.dataset.commentUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({ error: T.failed }));
    if (!response.ok) {
      alert(answer.error || T.failed);
      return false;
    }
    comments.push(answer);
    comments.sort((a, b) => (a.start ?? a.page ?? 0) - (b.start ?? b.page ?? 0));
    render();
    return true;
  }

  if (media) {
    media.addEventListener("timeupdate", follow);
    const canvas = section.querySelector(".waveform");
    if (canvas) drawWaveform(canvas, media);
  }
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = form.text.value.trim();
      if (!text) return;
      if (!media && !region && hosts.length) {
        alert(T.markRegion);
        return;
      }
      if (await add(text)) {
        form.text.value = "";
        region = null;
        hosts.forEach((h) => h.querySelector(".region-draft")?.remove());
      }
    });
    if (media) {
      // C while playing (not while typing) opens a comment at that moment.
      document.addEventListener("keydown", (event) => {
        if (event.key.toLowerCase() !== "c" || event.target.closest("input, textarea")) return;
        if (media.paused && media.currentTime === 0) return;
        event.preventDefault();
        media.pause();
        form.text.focus();
        form.text.placeholder = `${T.commentAt} ${clock(media.currentTime)}`;
      });
    }
    hosts.forEach((host) => {
      let start = null;
      let draft = null;
      host.addEventListener("pointerdown", (event) => {
        event.preventDefault();
        const rect = host.getBoundingClientRect();
        start = { x: (event.clientX - rect.left) / rect.width, y: (event.clientY - rect.top) / rect.height };
        hosts.forEach((h) => h.querySelector(".region-draft")?.remove());
        draft = document.createElement("div");
        draft.className = "region-draft position-absolute border border-2 border-primary";
        host.append(draft);
      });
      host.addEventListener("pointermove", (event) => {
        if (!start || !draft) return;
        const rect = host.getBoundingClientRect();
        const x = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
        const y = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height));
        const box = { x: Math.min(x, start.x), y: Math.min(y, start.y), w: Math.abs(x - start.x), h: Math.abs(y - start.y) };
        Object.assign(draft.style, {
          left: `${box.x * 100}%`, top: `${box.y * 100}%`, width: `${box.w * 100}%`, height: `${box.h * 100}%`,
        });
        region = { box, page: host.dataset.page };
      });
      host.addEventListener("pointerup", () => {
        start = null;
        if (region) form.text.focus();
      });
    });
  }
  render();
  follow();
}

document.querySelectorAll(".submission-file").forEach(setUp);
if (!canReview) document.querySelectorAll(".comment-form").forEach((f) => f.remove());
