// The chat of a room: a WebSocket that resumes after the last message number it saw, messages kept in
// localStorage until the server confirms them (so a reload or a lost connection loses nothing), sent again
// with the same id (the server stores a message once), rendered as text only.
const root = document.getElementById("chat");
const T = JSON.parse(document.getElementById("chat-strings").textContent);
const list = document.getElementById("messages");
const statusBox = document.getElementById("chat-status");
const form = document.getElementById("composer");
const me = Number(root.dataset.me);
const canModerate = root.dataset.moderate === "1";
const pendingKey = `ustaz.chat.${root.dataset.room}.pending`;
const draftKey = `ustaz.chat.${root.dataset.room}.draft`;

let lastSeq = Number(root.dataset.after);
let firstSeq = lastSeq + 1;
let socket = null;
let retry = 0;
let readSent = Number(root.dataset.read);
const rendered = new Map();

function uuid4() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function pending() {
  try {
    return JSON.parse(localStorage.getItem(pendingKey) || "[]");
  } catch {
    return [];
  }
}

function savePending(items) {
  localStorage.setItem(pendingKey, JSON.stringify(items));
}

function setStatus(text, kind) {
  statusBox.textContent = text;
  statusBox.className = `small mb-2 text-${kind || "body-secondary"}`;
}

function bodyWithMentions(text) {
  // Text nodes only: whatever a message holds, it is never HTML.
  const fragment = document.createDocumentFragment();
  const pattern = /(^|[^\w@])@([\w.+-]{2,150})/g;
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index + match[1].length;
    fragment.append(document.createTextNode(text.slice(at, start)));
    const mention = document.createElement("span");
    mention.className = "mention fw-semibold text-primary";
    mention.textContent = `@${match[2]}`;
    fragment.append(mention);
    at = start + match[2].length + 1;
  }
  fragment.append(document.createTextNode(text.slice(at)));
  return fragment;
}

function formatTime(iso) {
  const when = new Date(iso);
  return when.toLocaleString(document.documentElement.lang || undefined, {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "btn btn-link btn-sm p-0 ms-2 text-body-secondary";
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

function messageItem(message, isPending) {
  const li = document.createElement("li");
  li.className = "chat-message list-group-item";
  if (message.seq) li.dataset.seq = message.seq;
  if (message.client_id) li.dataset.clientId = message.client_id;
  const head = document.createElement("div");
  head.className = "small text-body-secondary";
  const who = document.createElement("span");
  who.className = "fw-semibold text-body";
  who.textContent = message.author ? message.author.name : "—";
  head.append(who, document.createTextNode(" · "));
  const time = document.createElement("time");
  time.dateTime = message.at || "";
  time.textContent = isPending ? T.sending : formatTime(message.at);
  head.append(time);
  if (!isPending && !message.deleted && message.author) {
    if (message.author.id === me || canModerate) {
      head.append(button(T.delete, () => {
        if (confirm(T.confirmDelete)) send({ type: "delete", seq: message.seq });
      }));
    }
    if (canModerate && message.author.id !== me) {
      head.append(button(T.mute, () => {
        if (confirm(T.confirmMute)) send({ type: "mute", user: message.author.id, minutes: 60 });
      }));
    }
  }
  li.append(head);
  const body = document.createElement("div");
  body.className = "chat-body";
  if (message.deleted) {
    body.className += " fst-italic text-body-secondary";
    body.textContent = T.deleted;
  } else {
    body.append(bodyWithMentions(message.body));
    for (const file of message.attachments || []) {
      const link = document.createElement("a");
      link.href = file.url;
      link.className = "d-block small";
      link.textContent = `📎 ${file.name} (${Math.max(1, Math.round(file.size / 1024))} KB)`;
      body.append(link);
    }
  }
  li.append(body);
  if (isPending) li.classList.add("opacity-50");
  return li;
}

function place(message) {
  if (rendered.has(message.seq)) {
    rendered.get(message.seq).replaceWith(messageItem(message, false));
    rendered.set(message.seq, list.querySelector(`[data-seq="${message.seq}"]`));
    return;
  }
  const item = messageItem(message, false);
  const mine = message.client_id && list.querySelector(`li[data-client-id="${message.client_id}"]:not([data-seq])`);
  if (mine) mine.remove();
  // Keep numeric order (history pages arrive before older numbers).
  let next = null;
  for (const [seq, node] of rendered) {
    if (seq > message.seq && (!next || seq < Number(next.dataset.seq))) next = node;
  }
  if (next) list.insertBefore(item, next);
  else {
    const firstPending = list.querySelector("li:not([data-seq])");
    list.insertBefore(item, firstPending);
  }
  rendered.set(message.seq, item);
  if (message.seq < firstSeq) firstSeq = message.seq;
}

function confirmPending(clientId) {
  savePending(pending().filter((p) => p.client_id !== clientId));
}

function markRead() {
  if (document.visibilityState === "visible" && lastSeq > readSent) {
    readSent = lastSeq;
    send({ type: "read", seq: lastSeq });
  }
}

function send(payload) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(payload));
    return true;
  }
  return false;
}

function connect() {
  setStatus(T.connecting);
  socket = new WebSocket(`${root.dataset.ws}?after=${lastSeq}`);
  socket.addEventListener("open", () => {
    retry = 0;
    setStatus("");
    for (const item of pending()) send({ type: "send", ...item });
  });
  socket.addEventListener("message", (event) => {
    const data = JSON.parse(event.data);
    if (data.type === "message") {
      const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
      place(data.message);
      if (data.message.seq > lastSeq) lastSeq = data.message.seq;
      if (data.message.client_id) confirmPending(data.message.client_id);
      if (atBottom) list.scrollTop = list.scrollHeight;
      markRead();
    } else if (data.type === "ack") {
      confirmPending(data.client_id);
      // Our own message is numbered: if it has not come back within a second, something was missed.
      setTimeout(() => {
        if (lastSeq < data.seq) send({ type: "sync", after: lastSeq });
      }, 1000);
    } else if (data.type === "synced") {
      for (const seq of data.deleted) {
        const node = rendered.get(seq);
        if (node) node.querySelector(".chat-body").textContent = T.deleted;
      }
      list.scrollTop = list.scrollHeight;
      markRead();
    } else if (data.type === "deleted") {
      const node = rendered.get(data.seq);
      if (node) {
        const body = node.querySelector(".chat-body");
        body.textContent = T.deleted;
        body.className = "chat-body fst-italic text-body-secondary";
      }
    } else if (data.type === "muted" && data.user === me) {
      setStatus(data.until ? T.muted : "", "danger");
    } else if (data.type === "error") {
      setStatus(data.message, "danger");
      if (data.client_id) {
        // Refused for good (too long, muted...): give the text back to the writer.
        const refused = pending().find((p) => p.client_id === data.client_id);
        confirmPending(data.client_id);
        const node = list.querySelector(`li[data-client-id="${data.client_id}"]:not([data-seq])`);
        if (node) node.remove();
        if (refused && !form.body.value) form.body.value = refused.body;
      }
    }
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4403) {
      // The account must first change its password or turn on two-factor authentication: the page says so.
      window.location.reload();
      return;
    }
    if (event.code === 4404 || event.code === 4401) {
      setStatus(T.noAccess, "danger");
      return;
    }
    retry = Math.min(retry + 1, 6);
    setStatus(pending().length ? T.offlinePending : T.offline, "warning");
    setTimeout(connect, 500 * 2 ** retry);
  });
}

async function upload(file) {
  const data = new FormData();
  data.append("file", file);
  const response = await fetch(root.dataset.upload, {
    method: "POST",
    body: data,
    headers: { "X-CSRFToken": form.csrfmiddlewaretoken.value },
    credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({ error: T.uploadFailed }));
  if (!response.ok) throw new Error(answer.error || T.uploadFailed);
  return answer;
}

if (form) {
  form.body.value = localStorage.getItem(draftKey) || "";
  form.body.addEventListener("input", () => localStorage.setItem(draftKey, form.body.value));
  form.body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = form.body.value.trim();
    const file = form.file && form.file.files[0];
    if (!body && !file) return;
    const item = { client_id: uuid4(), body, attachments: [] };
    if (file) {
      try {
        setStatus(T.uploading);
        const uploaded = await upload(file);
        item.attachments.push(uploaded.id);
        form.file.value = "";
        setStatus("");
      } catch (error) {
        setStatus(error.message, "danger");
        return; // the text stays in the box
      }
    }
    savePending([...pending(), item]);
    form.body.value = "";
    localStorage.removeItem(draftKey);
    list.append(messageItem({ ...item, author: { id: me, name: T.you } }, true));
    list.scrollTop = list.scrollHeight;
    if (!send({ type: "send", ...item })) setStatus(T.offlinePending, "warning");
  });
}

document.getElementById("earlier").addEventListener("click", async (event) => {
  const response = await fetch(`${root.dataset.history}?before=${firstSeq}`, { credentials: "same-origin" });
  const data = await response.json();
  for (const message of data.messages) place(message);
  if (!data.more) event.target.hidden = true;
});
if (lastSeq === 0) document.getElementById("earlier").hidden = true;

// Messages written before a reload and not yet confirmed are shown (and sent again on connecting).
for (const item of pending()) list.append(messageItem({ ...item, author: { id: me, name: T.you } }, true));
document.addEventListener("visibilitychange", markRead);
// A sync now and then: catches anything whose broadcast this connection missed.
setInterval(() => send({ type: "sync", after: lastSeq }), 30000);
connect();
