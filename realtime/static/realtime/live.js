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

// The hearing state the pages render (realtime/live.py `hearing_state`, also the `snapshot`),
// kept up to date by applying events. Every event's `data` is the payload of its entity in
// the same shape as its part of the state, so each case sets that part as it is; applying
// an event twice is harmless. One case per type the server sends (realtime.events
// EVENT_TYPES); unknown types are ignored. Mirrored in tests/realtime/reducer.py, which
// checks every type against a fresh snapshot: change the two together.
export const SCREEN_COMMENT_LIMIT = 6;
export const ROOM_COMMENT_LIMIT = 50;
export const QUESTION_LIMIT = 200;
// A question the page has not seen a `question.updated` for: no upvotes, nothing else.
const QUESTION_STATE = { upvotes: 0, answered_at: null, merged_into: null, featured_at: null };

export function applyEvent(state, message) {
  const data = message.data;
  switch (message.type) {
    case "snapshot":
      Object.assign(state, data);
      break;
    case "hearing.started":
    case "hearing.updated":
    case "hearing.ended":
      state.hearing = data;
      break;
    case "agenda.changed":
      state.agenda = data;
      break;
    case "voting.opened":
      state.voting = data;
      state.tally = null; // the tally.updated published with it follows
      break;
    case "voting.closed":
      state.voting = null;
      state.tally = null;
      break;
    case "tally.updated":
      if (state.voting && state.voting.item.id === data.item) state.tally = data;
      break;
    case "comment.published":
      if (!data.redacted) publishComment(state, data);
      break;
    case "comment.submitted":
      if (state.pending_comments && !data.redacted) state.pending_comments = upsertById(state.pending_comments, data);
      break;
    case "comment.hidden":
      removeComment(state, data.id);
      break;
    case "comment.screened":
      if (!data.redacted) screenComment(state, data);
      break;
    case "screen.changed":
      state.hearing.screen_mode = data.mode;
      break;
    case "speakers.changed":
      state.speakers = data;
      break;
    case "attendance.updated":
      state.attendance = data;
      break;
    case "manual_count.entered":
      state.manual_counts = [...state.manual_counts.filter((c) => c.id !== data.id), data];
      break;
    case "question.updated":
      state.questions = (state.questions || []).map((q) => (q.id === data.id ? { ...q, ...data } : q));
      break;
    case "forum.changed":
      state.forum = data;
      break;
    default:
      break;
  }
  return state;
}

function publishComment(state, comment) {
  if (state.pending_comments) state.pending_comments = withoutId(state.pending_comments, comment.id);
  state.comments = upsertById(state.comments, comment).slice(-ROOM_COMMENT_LIMIT);
  if (comment.on_screen_at) placeOnScreen(state, comment);
  if (comment.stance === "question") upsertQuestion(state, comment);
}

// A question's comment fields change; the room's state of it stays.
function upsertQuestion(state, comment) {
  const questions = state.questions || [];
  const known = questions.find((q) => q.id === comment.id) || QUESTION_STATE;
  const question = { ...comment };
  for (const name of Object.keys(QUESTION_STATE)) question[name] = known[name];
  state.questions = upsertById(questions, question).slice(-QUESTION_LIMIT);
}

function screenComment(state, comment) {
  state.comments = state.comments.map((c) => (c.id === comment.id ? comment : c));
  if ((state.questions || []).some((q) => q.id === comment.id)) upsertQuestion(state, comment);
  if (comment.on_screen_at) placeOnScreen(state, comment);
  else state.screen_comments = withoutId(state.screen_comments, comment.id);
}

function removeComment(state, id) {
  state.comments = withoutId(state.comments, id);
  state.screen_comments = withoutId(state.screen_comments, id);
  state.questions = withoutId(state.questions || [], id);
  if (state.pending_comments) state.pending_comments = withoutId(state.pending_comments, id);
}

// The screen shows the comments put on it last, in the order they were put on.
function placeOnScreen(state, comment) {
  const list = [...withoutId(state.screen_comments, comment.id), comment];
  list.sort((a, b) => Date.parse(a.on_screen_at) - Date.parse(b.on_screen_at) || a.id - b.id);
  state.screen_comments = list.slice(-SCREEN_COMMENT_LIMIT);
}

// Comments are kept in id order (the order they were made), as the snapshot lists them.
function upsertById(list, comment) {
  return [...withoutId(list, comment.id), comment].sort((a, b) => a.id - b.id);
}

function withoutId(list, id) {
  return list.filter((c) => c.id !== id);
}

// Who wrote a comment, as the pages show it.
export function organizationName(comment) {
  return comment.organization_name || comment.author_name || "";
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
