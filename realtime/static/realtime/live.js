// Ruang Dialog live client: one WebSocket per page, push only (ARCHITECTURE.md §5).
//
// The page starts from a server-rendered state taken at `seq`; we connect with
// ?after=<last seq>, so the server replays what we missed and then goes live.
// Every message carries a gapless per-stream seq: we apply each seq exactly once,
// in order, and ignore anything at or below the last seq we applied. While the
// socket is down we retry with exponential back-off + jitter and catch up over
// HTTP (`events/?after=`) in between, so the page never needs a reload.

const CLOSE_DENIED = new Set([4401, 4403, 4404]);
const MAX_DELAY_MS = 30000;

export function connectHearing({
  hearing,
  seq = 0,
  key = "",
  view = "",
  api,
  onEvent,
  onStatus = () => {},
}) {
  let lastSeq = seq;
  let socket = null;
  let attempt = 0;
  let timer = null;
  let stopped = false;
  let queue = Promise.resolve();

  function deliver(message) {
    if (message.type === "snapshot") {
      // Sent when connecting without `after`, or when our `after` is ahead of the log
      // (the stream was reset): the snapshot replaces what we had.
      lastSeq = message.seq;
      onEvent(message);
      return;
    }
    if (typeof message.seq !== "number" || message.seq <= lastSeq) return; // duplicate
    lastSeq = message.seq;
    onEvent(message);
  }

  async function catchUp() {
    // HTTP replay: pages of events after lastSeq until we reach the stream's end.
    for (let page = 0; page < 50; page += 1) {
      const params = new URLSearchParams({ after: String(lastSeq) });
      if (key) params.set("key", key);
      const response = await fetch(`${api}events/?${params}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.status === 403 || response.status === 404) {
        stop("denied");
        return;
      }
      if (!response.ok) throw new Error(`replay failed: ${response.status}`);
      const body = await response.json();
      body.events.forEach(deliver);
      if (!body.has_more) return;
    }
  }

  function enqueue(task) {
    queue = queue.then(task).catch(() => {});
    return queue;
  }

  function handle(raw) {
    let message;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    // The server sends every event we may see exactly once and in order; seq may skip
    // numbers (events for other audiences), so a jump is not a gap.
    enqueue(async () => deliver(message));
  }

  function url() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const params = new URLSearchParams({ after: String(lastSeq) });
    if (key) params.set("key", key);
    if (view) params.set("view", view); // "moderator": pending comments too
    return `${scheme}//${window.location.host}/ws/hearings/${hearing}/?${params}`;
  }

  // While the socket is down, poll the HTTP replay every few seconds (the socket
  // retries keep backing off): a server without WebSockets still gets a live page.
  let poll = null;
  function startPolling() {
    if (poll || stopped) return;
    poll = setInterval(() => enqueue(catchUp), 4000 + Math.random() * 2000);
  }
  function stopPolling() {
    clearInterval(poll);
    poll = null;
  }

  function schedule() {
    if (stopped) return;
    startPolling();
    const base = Math.min(MAX_DELAY_MS, 500 * 2 ** attempt);
    const delay = base / 2 + Math.random() * (base / 2); // "equal jitter"
    attempt += 1;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // Catch up over HTTP first: the page stays current even while sockets fail.
      enqueue(catchUp).then(open);
    }, delay);
  }

  function open() {
    if (stopped) return;
    if (!("WebSocket" in window)) {
      schedule(); // no WebSocket: HTTP replay on the back-off timer is our transport
      return;
    }
    socket = new WebSocket(url());
    socket.onopen = () => {
      attempt = 0;
      stopPolling();
      onStatus("live");
    };
    socket.onmessage = (event) => handle(event.data);
    socket.onclose = (event) => {
      socket = null;
      if (CLOSE_DENIED.has(event.code)) {
        stop("denied");
        return;
      }
      onStatus("reconnecting");
      schedule();
    };
  }

  function stop(status = "stopped") {
    stopped = true;
    clearTimeout(timer);
    stopPolling();
    if (socket) socket.close();
    onStatus(status);
  }

  // A sleeping phone or laptop may hold a dead socket: check when the page is shown again.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !stopped) enqueue(catchUp);
  });

  open();
  return {
    get lastSeq() {
      return lastSeq;
    },
    stop,
    catchUp: () => enqueue(catchUp),
  };
}

// --- small DOM helpers shared by the pages (text only: never innerHTML with data) ---

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("data-")) node.setAttribute(name, String(value));
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

export function setText(selector, text, root = document) {
  for (const node of root.querySelectorAll(selector)) node.textContent = text ?? "";
}

export function readJSON(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": csrfToken(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = (data && (data.detail || Object.values(data).flat().join(" "))) || response.statusText;
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  return data;
}

// The hearing state the pages render, kept up to date by applying events.
// Handlers *set* state from full payloads, so applying an event twice is harmless.
// Payloads are read tolerantly (nested or flat hearing, organization as name or object).
export function applyEvent(state, message) {
  const data = message.data || {};
  switch (message.type) {
    case "snapshot":
      applySnapshot(state, data);
      break;
    case "hearing.started":
    case "hearing.ended":
      Object.assign(state.hearing, pick(data.hearing || data, HEARING_FIELDS));
      if (message.type === "hearing.ended") {
        state.hearing.status = "ended";
        state.voting = null;
      }
      if (data.agenda) applyAgenda(state, data.agenda);
      break;
    case "agenda.changed":
      applyAgendaChange(state, data);
      break;
    case "voting.opened":
      state.voting = { choices: ["for", "against", "abstain"], ...data };
      state.tally = data.tally || { item: itemId(data.item), counts: {}, total: 0 };
      state.lastResult = null;
      break;
    case "voting.closed":
      state.voting = null;
      state.lastResult = { item: data.item, tally: data.tally };
      if (data.tally) state.tally = data.tally;
      break;
    case "tally.updated":
      if (!state.voting || itemId(data.item) === itemId(state.voting.item)) state.tally = data;
      break;
    case "comment.published":
      if (!commentOf(data).redacted) upsertComment(state.comments, commentOf(data), 50);
      break;
    case "comment.hidden": {
      const id = commentOf(data).id;
      state.comments = state.comments.filter((c) => c.id !== id);
      state.screen_comments = state.screen_comments.filter((c) => c.id !== id);
      break;
    }
    case "comment.screened":
      applyScreenComment(state, data.on_screen === false ? "hide" : "show", data);
      break;
    case "screen.changed":
      state.hearing.screen_mode = data.mode;
      break;
    case "speakers.changed":
      applySpeakers(state, data);
      break;
    case "attendance.updated":
      state.attendance = { ...state.attendance, ...data };
      break;
    default:
      break;
  }
  return state;
}

const HEARING_FIELDS = ["title", "location", "starts_at", "status", "screen_mode", "check_in_required"];

function pick(source, fields) {
  const out = {};
  for (const field of fields) if (source && field in source) out[field] = source[field];
  return out;
}

function applySnapshot(state, data) {
  if (data.hearing) Object.assign(state.hearing, pick(data.hearing, HEARING_FIELDS));
  if (data.agenda) applyAgenda(state, data.agenda);
  if ("current_agenda_item" in data) state.agenda.current = data.current_agenda_item;
  if ("voting" in data) state.voting = data.voting;
  else if (data.voting_item === null) state.voting = null;
  if ("tally" in data) state.tally = data.tally;
  for (const key of ["screen_comments", "comments", "manual_counts", "attendance"]) {
    if (key in data) state[key] = data[key];
  }
  if (data.speakers) applySpeakers(state, data.speakers);
}

function applyAgenda(state, agenda) {
  if (Array.isArray(agenda)) {
    state.agenda.agenda = agenda;
    return;
  }
  if (Array.isArray(agenda.agenda)) state.agenda.agenda = agenda.agenda;
  if ("current" in agenda) state.agenda.current = agenda.current;
  if ("current_item" in agenda) state.agenda.current_item = agenda.current_item;
}

function applyAgendaChange(state, data) {
  if ("current" in data) state.agenda.current = data.current;
  switch (data.kind) {
    case "hearing":
      Object.assign(state.hearing, pick(data, HEARING_FIELDS));
      break;
    case "screen":
      state.hearing.screen_mode = data.mode;
      break;
    case "screen.comment":
      applyScreenComment(state, data.action, data.comment);
      break;
    case "speakers":
      applySpeakers(state, data);
      break;
    case "manual_count": {
      const counts = state.manual_counts.filter((c) => c.id !== data.count.id);
      counts.push(data.count);
      state.manual_counts = counts;
      break;
    }
    default: // "agenda", or a plain {current} payload
      applyAgenda(state, data);
      break;
  }
}

function applyScreenComment(state, action, comment) {
  if (action === "show") upsertComment(state.screen_comments, comment, 6);
  else state.screen_comments = state.screen_comments.filter((c) => c.id !== comment.id);
}

// Speakers: either {queue (waiting), speaking} or one ordered list with statuses.
function applySpeakers(state, data) {
  const all = [...(data.queue || []), ...(data.speaking ? [data.speaking] : [])].map(speakerOf);
  state.speakers = {
    queue: all.filter((s) => s.status === "waiting"),
    speaking: all.find((s) => s.status === "speaking") || null,
  };
}

function speakerOf(s) {
  const org = s.organization;
  const ends =
    s.ends_at || (s.started_at ? new Date(Date.parse(s.started_at) + s.seconds * 1000).toISOString() : null);
  return {
    ...s,
    organization: org && typeof org === "object" ? org.name : org,
    organization_id: s.organization_id ?? (org && typeof org === "object" ? org.id : null),
    ends_at: ends,
  };
}

export function itemId(item) {
  return item && typeof item === "object" ? item.id : item;
}

export function commentOf(data) {
  return data.comment || data;
}

export function organizationName(comment) {
  const org = comment.organization;
  if (!org) return comment.author || "";
  return typeof org === "object" ? org.name : org;
}

function upsertComment(list, comment, limit) {
  const index = list.findIndex((c) => c.id === comment.id);
  if (index >= 0) list[index] = { ...list[index], ...comment };
  else list.push(comment);
  while (list.length > limit) list.shift();
}

// Tally bars with numbers: one row per choice (used by the screen, the room and the console).
export function tallyBars(tally, choices, labels) {
  const counts = (tally && tally.counts) || {};
  const keys = choices && choices.length ? choices : Object.keys(counts);
  const total = keys.reduce((sum, c) => sum + (counts[c] || 0), 0);
  const rows = keys.map((choice) => {
    const n = counts[choice] || 0;
    const share = total ? Math.round((100 * n) / total) : 0;
    const fill = el("span", { class: "fill" });
    fill.style.width = `${share}%`;
    return el(
      "div",
      { class: `bar choice-${choice}`, "data-choice": choice, "data-count": n },
      el("span", { class: "name", text: labels[choice] || choice }),
      el("span", { class: "track" }, fill),
      el("span", { class: "count", text: String(n) }),
      el("span", { class: "share", text: `${share}%` }),
    );
  });
  return { rows, total };
}
