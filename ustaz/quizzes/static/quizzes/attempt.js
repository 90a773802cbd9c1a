// An attempt: every answer is sent as it is given (the same answer twice does no harm on the server). Until
// the server confirms it, it is kept in localStorage and sent again every few seconds, after a reload, a
// closed tab or a lost connection. The deadline is the server's: the timer only shows it.
const root = document.getElementById("attempt");
const T = JSON.parse(document.getElementById("attempt-strings").textContent);
const statusBox = document.getElementById("save-status");
const timer = document.getElementById("timer");
const csrf = document.querySelector("#submit-attempt [name=csrfmiddlewaretoken]").value;
const key = `ustaz.attempt.${root.dataset.attempt}`;
let closed = false;

function unsent() {
  try {
    return JSON.parse(localStorage.getItem(key) || "{}");
  } catch {
    return {};
  }
}

function keep(position, payload) {
  const all = unsent();
  all[position] = payload;
  localStorage.setItem(key, JSON.stringify(all));
}

function forget(position, payload) {
  const all = unsent();
  if (JSON.stringify(all[position]) === JSON.stringify(payload)) delete all[position];
  localStorage.setItem(key, JSON.stringify(all));
}

function say(text, kind) {
  statusBox.textContent = text;
  statusBox.className = `small text-${kind || "body-secondary"}`;
}

function responseOf(fieldset) {
  const kind = fieldset.dataset.kind;
  const inputs = [...fieldset.querySelectorAll("[name^=q]")];
  if (kind === "single") {
    const chosen = inputs.find((i) => i.checked);
    return chosen ? Number(chosen.value) : null;
  }
  if (kind === "multiple") return inputs.filter((i) => i.checked).map((i) => Number(i.value));
  if (kind === "truefalse") {
    const chosen = inputs.find((i) => i.checked);
    return chosen ? chosen.value === "true" : null;
  }
  if (kind === "short" || kind === "numeric" || kind === "essay") return inputs[0].value;
  if (kind === "matching") {
    const pairs = {};
    for (const select of inputs) if (select.value !== "") pairs[select.dataset.key] = Number(select.value);
    return pairs;
  }
  if (kind === "ordering") {
    const placed = inputs.filter((i) => i.value).map((i) => [Number(i.value), Number(i.dataset.key)]);
    return placed.sort((a, b) => a[0] - b[0]).map((pair) => pair[1]);
  }
  if (kind === "blanks") {
    const filled = {};
    for (const input of inputs) filled[input.dataset.key] = input.value;
    return filled;
  }
  return null;
}

function restore(fieldset, response) {
  const kind = fieldset.dataset.kind;
  const inputs = [...fieldset.querySelectorAll("[name^=q]")];
  if (kind === "single") inputs.forEach((i) => (i.checked = Number(i.value) === response));
  else if (kind === "multiple") inputs.forEach((i) => (i.checked = (response || []).includes(Number(i.value))));
  else if (kind === "truefalse") inputs.forEach((i) => (i.checked = String(response) === i.value));
  else if (["short", "numeric", "essay"].includes(kind)) inputs[0].value = response ?? "";
  else if (kind === "matching") inputs.forEach((s) => (s.value = response?.[s.dataset.key] ?? ""));
  else if (kind === "ordering") inputs.forEach((i) => (i.value = (response || []).indexOf(Number(i.dataset.key)) + 1 || ""));
  else if (kind === "blanks") inputs.forEach((i) => (i.value = response?.[i.dataset.key] ?? ""));
}

function markNav(position, answered, flagged) {
  const link = document.querySelector(`[data-nav="${position}"]`);
  if (!link) return;
  link.classList.toggle("btn-secondary", answered);
  link.classList.toggle("btn-outline-secondary", !answered);
  link.classList.toggle("border-warning", flagged);
  link.classList.toggle("border-2", flagged);
}

async function send(position, payload) {
  if (closed) return;
  say(T.saving);
  try {
    const response = await fetch(root.dataset.save, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ position: Number(position), ...payload }),
    });
    if (response.ok) {
      forget(position, payload);
      say(Object.keys(unsent()).length ? T.saving : T.saved, "success");
      return;
    }
    if (response.status === 410) return timeUp();
    if (response.status === 409) {
      say(T.otherDevice, "danger");
      return;
    }
  } catch {
    // the connection is lost: the answer stays in localStorage
  }
  say(T.unsent, "danger");
}

function changed(fieldset) {
  const position = fieldset.dataset.position;
  const payload = { response: responseOf(fieldset), flagged: fieldset.querySelector(".flag").checked };
  keep(position, payload);
  markNav(position, payload.response !== null && payload.response !== "", payload.flagged);
  send(position, payload);
}

function timeUp() {
  if (closed) return;
  closed = true;
  document.querySelectorAll("#attempt input, #attempt select, #attempt textarea, #attempt button").forEach((e) => {
    e.disabled = true;
  });
  say(T.timeUp, "danger");
  setTimeout(() => window.location.assign(root.dataset.review), 4000);
}

const typing = new Map();
document.querySelectorAll("fieldset.question").forEach((fieldset) => {
  fieldset.addEventListener("change", () => changed(fieldset));
  fieldset.addEventListener("input", (event) => {
    if (!event.target.matches("input[type=text], input:not([type]), textarea, input[type=number]")) return;
    clearTimeout(typing.get(fieldset));
    typing.set(fieldset, setTimeout(() => changed(fieldset), 700));
  });
});

// Answers not confirmed before a reload or a crash: shown again and sent again.
for (const [position, payload] of Object.entries(unsent())) {
  const fieldset = document.querySelector(`fieldset[data-position="${position}"]`);
  if (!fieldset) continue;
  restore(fieldset, payload.response);
  fieldset.querySelector(".flag").checked = Boolean(payload.flagged);
  send(position, payload);
}
setInterval(() => {
  for (const [position, payload] of Object.entries(unsent())) send(position, payload);
}, 5000);

let secondsLeft = Number(timer.dataset.seconds);
const startedAt = Date.now();
function tick() {
  const left = Math.max(0, secondsLeft - Math.floor((Date.now() - startedAt) / 1000));
  timer.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  timer.classList.toggle("text-bg-danger", left < 120);
  if (left === 0) timeUp();
}
tick();
setInterval(tick, 1000);

function report(kind) {
  const body = new URLSearchParams({ kind, csrfmiddlewaretoken: csrf });
  navigator.sendBeacon?.(root.dataset.event, body) || fetch(root.dataset.event, { method: "POST", body });
}
document.addEventListener("visibilitychange", () => report(document.hidden ? "focus_lost" : "focus_back"));

document.getElementById("submit-attempt").addEventListener("submit", (event) => {
  if (Object.keys(unsent()).length || !confirm(T.confirmSubmit)) {
    event.preventDefault();
    if (Object.keys(unsent()).length) say(T.unsent, "danger");
  } else {
    localStorage.removeItem(key);
  }
});
