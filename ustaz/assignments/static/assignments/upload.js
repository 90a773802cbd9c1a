// Handing in: each chosen file goes up by the tus protocol in parts; a part that fails is tried again after
// asking the server how far it got, and a file chosen again after a reload resumes where it stopped (its
// upload address is remembered per file). The text typed is kept as a draft until the work is handed in.
const form = document.getElementById("submit-form");
const T = JSON.parse(document.getElementById("upload-strings").textContent);
const list = document.getElementById("upload-list");
const hidden = document.getElementById("id_uploads");
const input = document.getElementById("file-input");
const chunkSize = Number(form.dataset.chunk);
const csrf = form.csrfmiddlewaretoken.value;
const draftKey = form.dataset.draft;
const done = new Map(); // upload id -> file name
let busy = 0;

const textArea = form.querySelector("textarea[name=text]");
if (textArea) {
  textArea.value = localStorage.getItem(draftKey) || textArea.value;
  textArea.addEventListener("input", () => localStorage.setItem(draftKey, textArea.value));
}

function b64(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function row(file) {
  const li = document.createElement("li");
  li.className = "mb-2";
  const name = document.createElement("div");
  name.className = "small";
  name.textContent = `${file.name} (${(file.size / 1048576).toFixed(1)} MB)`;
  const bar = document.createElement("div");
  bar.className = "progress";
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-label", file.name);
  const fill = document.createElement("div");
  fill.className = "progress-bar";
  fill.style.width = "0%";
  bar.append(fill);
  const note = document.createElement("div");
  note.className = "small text-body-secondary";
  li.append(name, bar, note);
  list.append(li);
  return {
    progress(fraction) {
      fill.style.width = `${Math.round(fraction * 100)}%`;
      bar.setAttribute("aria-valuenow", String(Math.round(fraction * 100)));
    },
    say(text, kind) {
      note.textContent = text;
      note.className = `small text-${kind || "body-secondary"}`;
    },
  };
}

async function tusRequest(method, url, headers = {}, body = undefined) {
  return fetch(url, {
    method,
    body,
    credentials: "same-origin",
    headers: { "Tus-Resumable": "1.0.0", "X-CSRFToken": csrf, ...headers },
  });
}

async function offsetOf(url) {
  const response = await tusRequest("HEAD", url);
  if (!response.ok) return null;
  return Number(response.headers.get("Upload-Offset"));
}

async function create(file) {
  const response = await tusRequest("POST", form.dataset.tus, {
    "Upload-Length": String(file.size),
    "Upload-Metadata": `filename ${b64(file.name)},filetype ${b64(file.type || "")}`,
  });
  if (!response.ok) throw new Error((await response.text()) || T.failed);
  return response.headers.get("Location");
}

async function upload(file) {
  const ui = row(file);
  busy += 1;
  const key = `ustaz.tus.${form.dataset.tus}.${file.name}.${file.size}.${file.lastModified}`;
  try {
    let url = localStorage.getItem(key);
    let offset = url ? await offsetOf(url) : null;
    if (offset === null) {
      url = await create(file);
      localStorage.setItem(key, url);
      offset = 0;
    } else if (offset > 0) {
      ui.say(T.resuming);
    }
    let failures = 0;
    let state = "";
    while (offset < file.size) {
      const part = file.slice(offset, offset + chunkSize);
      let response;
      try {
        response = await tusRequest(
          "PATCH",
          url,
          { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
          part,
        );
      } catch {
        response = null; // the connection dropped
      }
      if (response && response.status === 204) {
        offset = Number(response.headers.get("Upload-Offset"));
        state = response.headers.get("Ustaz-Upload-State") || "";
        failures = 0;
        ui.progress(offset / file.size);
        ui.say("");
        continue;
      }
      if (response && (response.status === 415 || response.status === 413 || response.status === 403)) {
        localStorage.removeItem(key);
        throw new Error(await response.text());
      }
      failures += 1;
      ui.say(T.retrying, "warning");
      await sleep(Math.min(30000, 1000 * 2 ** Math.min(failures, 5)));
      const known = await offsetOf(url).catch(() => null);
      if (known !== null) offset = known;
    }
    ui.progress(1);
    // Every byte is there; the server puts the parts together in the background (it may be handed in now).
    ui.say(state === "joining" ? T.joining : T.uploaded, "success");
    done.set(url.replace(/\/$/, "").split("/").pop(), file.name);
    hidden.value = [...done.keys()].join(",");
    localStorage.removeItem(key);
  } catch (error) {
    ui.say(error.message || T.failed, "danger");
  } finally {
    busy -= 1;
  }
}

input.addEventListener("change", () => {
  for (const file of input.files) upload(file);
  input.value = "";
});

form.addEventListener("submit", (event) => {
  if (busy > 0) {
    event.preventDefault();
    alert(T.wait);
  }
  // The draft stays until the work is handed in (the submission's page forgets it).
});
