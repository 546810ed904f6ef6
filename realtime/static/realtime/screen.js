// The big screen: no login, no keyboard, runs for hours without a reload.
import {
  applyEvent,
  connectHearing,
  el,
  organizationName,
  readJSON,
  tallyBars,
} from "./live.js";
import { renderForum } from "./forum.js";

const state = readJSON("hearing-state");
const config = readJSON("live-config");
const labels = readJSON("live-labels");
let lastResult = null; // the result of the vote closed last, until the agenda moves on
const clockOffset = Date.parse(config.now) - Date.now(); // server time minus ours
const $ = (id) => document.getElementById(id);
const eventLog = $("event-log");

// --- rendering ------------------------------------------------------------------

function render() {
  const body = document.body;
  const hearing = state.hearing;
  body.classList.toggle("mode-blank", hearing.screen_mode === "blank");
  body.classList.toggle("mode-frozen", hearing.screen_mode === "frozen");
  $("blank").hidden = hearing.screen_mode !== "blank";
  if (hearing.screen_mode === "frozen") return; // the room keeps seeing the last picture
  for (const status of ["scheduled", "live", "ended"]) {
    body.classList.toggle(`status-${status}`, hearing.status === status);
  }
  $("hearing-title").textContent = hearing.title;
  $("hearing-location").textContent = hearing.location;
  $("ended").hidden = hearing.status !== "ended";
  renderAgenda();
  renderForum(state);
  renderVote();
  renderSpeaker();
  renderQuestion();
  renderComments();
  // The agenda box gives way when two other panels are up, and shows what fits.
  const panels = ["forum-proposal", "vote", "speaker", "screen-question"].filter((id) => !$(id).hidden).length;
  $("upcoming").hidden = panels >= 2;
  fitAgenda();
}

function renderAgenda() {
  const agenda = state.agenda || { agenda: [], current: null };
  const current = agenda.current;
  $("agenda-title").textContent = current ? current.title : labels.no_agenda;
  const index = current ? agenda.agenda.findIndex((a) => a.id === current.id) : -1;
  $("agenda-progress").textContent =
    index >= 0 ? `${index + 1} / ${agenda.agenda.length}` : "";
  // A window around the current item: the one before it and what comes next, as many as
  // the box holds (fitAgenda, once the other panels have their size).
  const from = Math.max(index - 1, 0);
  const list = $("agenda-list");
  list.start = from + 1;
  list.replaceChildren(
    ...agenda.agenda.slice(from).map((a, i) => {
      const position = i + from;
      const place = position === index ? "current" : position < index ? "past" : "";
      return el("li", { class: place, "aria-current": place === "current" ? "step" : null, text: a.title });
    }),
  );
}

// The current agenda item is always in view: later items leave the box first, then the
// one before it. The box never scrolls and never clips an item in half.
function fitAgenda() {
  const box = $("upcoming");
  const list = $("agenda-list");
  if (box.hidden || !list.children.length) return;
  const overflowing = () => box.scrollHeight > box.clientHeight + 1;
  while (overflowing() && list.children.length > 1 && !list.lastElementChild.classList.contains("current")) {
    list.lastElementChild.remove();
  }
  if (overflowing() && list.firstElementChild.classList.contains("past")) {
    list.firstElementChild.remove();
    list.start += 1;
  }
}

function renderQuestion() {
  const question = (state.questions || []).find((q) => q.featured_at && !q.merged_into);
  $("screen-question").hidden = !question;
  if (!question) return;
  $("question-upvotes").textContent = `▲ ${question.upvotes} ${labels.upvotes}`;
  $("question-body").textContent = question.body;
  $("question-who").textContent = organizationName(question);
}

function choicesFor(tally, voting) {
  if (voting && voting.choices) return voting.choices;
  const counts = (tally && tally.counts) || {};
  const keys = Object.keys(counts);
  return keys.length ? keys : ["for", "against", "abstain"];
}

function renderVote() {
  const voting = state.voting;
  const result = lastResult;
  const box = $("vote");
  const item = voting ? voting.item : result && result.item;
  const showing = Boolean(voting || (result && result.tally));
  box.hidden = !showing;
  box.classList.toggle("closed", !voting);
  if (!showing) return;
  $("vote-label").textContent = voting ? labels.voting_open : labels.voting_closed;
  $("vote-item").textContent = item ? [item.code, item.title].filter(Boolean).join(" · ") : "";
  const tally = voting ? state.tally : result.tally;
  const bars = $("vote-bars");
  if (tally && tally.hidden) {
    bars.replaceChildren(el("p", { class: "hidden-note", text: labels.hidden }));
    $("vote-total").textContent = tally && tally.total != null ? `${labels.total}: ${tally.total} ${labels.votes}` : "";
  } else {
    const { rows, total } = tallyBars(tally, choicesFor(tally, voting), labels);
    bars.replaceChildren(...rows);
    $("vote-total").textContent = `${labels.total}: ${total} ${labels.votes} · ${labels.online}`;
  }
  const manual = state.manual_counts.filter((c) => item && c.item.id === item.id).at(-1);
  $("vote-manual").hidden = !manual;
  if (manual) {
    const parts = Object.entries(manual.counts).map(([c, n]) => `${labels[c] || c} ${n}`);
    $("vote-manual").textContent = `${labels.manual} (${manual.label}): ${parts.join(" · ")}`;
  }
}

function renderSpeaker() {
  const speaking = state.speakers && state.speakers.speaking;
  $("speaker").hidden = !speaking;
  if (!speaking) return;
  $("speaker-name").textContent = speaking.organization;
  tickCountdown();
}

function tickCountdown() {
  const speaking = state.speakers && state.speakers.speaking;
  if (!speaking || !speaking.ends_at) return;
  const left = Math.round((Date.parse(speaking.ends_at) - (Date.now() + clockOffset)) / 1000);
  const abs = Math.abs(left);
  const text = `${left < 0 ? "+" : ""}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
  const node = $("countdown");
  if (node.textContent !== text) node.textContent = text;
  node.classList.toggle("ending", left <= 30 && left >= 0);
  node.classList.toggle("over", left < 0);
}

function renderComments() {
  const list = $("screen-comments");
  const comments = [...state.screen_comments].reverse(); // newest first
  $("comments-empty").hidden = comments.length > 0;
  const existing = new Map([...list.children].map((li) => [li.dataset.commentId, li]));
  const nodes = comments.map((c) => {
    const known = existing.get(String(c.id));
    if (known) return known;
    return el(
      "li",
      { "data-comment-id": c.id, "data-seq": c._seq || "", class: "fresh" },
      el("p", { class: "who", text: organizationName(c) }),
      el("p", { class: "body", text: c.body }),
    );
  });
  list.replaceChildren(...nodes);
  setTimeout(() => nodes.forEach((n) => n.classList.remove("fresh")), 1200);
}

// --- clock, status, heartbeat, QR refresh ----------------------------------------

const clockFormat = new Intl.DateTimeFormat("id-ID", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Asia/Jakarta",
  hour12: false,
});

function tick() {
  const text = clockFormat.format(new Date(Date.now() + clockOffset)).replace(".", ":");
  if ($("clock").textContent !== text) $("clock").textContent = text;
  tickCountdown();
}

let badgeTimer = null;
function onStatus(status) {
  const badge = $("status-badge");
  clearTimeout(badgeTimer);
  document.body.dataset.connection = status;
  if (status === "live") {
    badge.hidden = true;
  } else if (status === "denied") {
    badge.textContent = labels.denied;
    badge.classList.add("denied");
    badge.hidden = false;
  } else {
    badge.textContent = labels.reconnecting;
    badgeTimer = setTimeout(() => (badge.hidden = false), 2000); // no flicker on a blip
  }
}

function screenId() {
  const name = "ruang-screen-id";
  let id = window.localStorage.getItem(name);
  if (!id) {
    id = `layar-${Math.random().toString(36).slice(2, 8)}`;
    window.localStorage.setItem(name, id);
  }
  return id;
}

function heartbeat() {
  fetch(`${config.api}screens/`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content },
    body: JSON.stringify({
      key: config.key,
      screen: screenId(),
      label: `${window.screen.width}×${window.screen.height} · seq ${client.lastSeq}`,
    }),
  }).catch(() => {});
}

function refreshQr() {
  const qr = $("qr");
  const url = new URL(qr.src, window.location.href);
  url.searchParams.set("t", String(Date.now()));
  qr.src = url.toString();
}

// --- wiring -------------------------------------------------------------------

function onEvent(message) {
  if (message.type === "comment.screened") message.data._seq = message.seq;
  const before = state.agenda.current && state.agenda.current.id;
  applyEvent(state, message);
  if (message.type === "voting.closed") lastResult = { item: message.data.item, tally: message.data.tally };
  if (message.type === "voting.opened") lastResult = null;
  if ((state.agenda.current && state.agenda.current.id) !== before) {
    lastResult = null; // a new agenda item: the previous result leaves the screen
  }
  if (eventLog.children.length < 5000) {
    eventLog.append(el("li", { "data-seq": message.seq, "data-type": message.type }));
  }
  render();
}

const client = connectHearing({
  hearing: config.hearing,
  seq: config.seq,
  key: config.key,
  api: config.api,
  onEvent,
  onStatus,
});
window.ruangScreen = { state, client };

window.addEventListener("resize", () => render());
render();
tick();
setInterval(tick, 1000);
heartbeat();
setInterval(heartbeat, 30000);
// The QR's check-in code expires after two minutes: a new one every minute (live_config).
setInterval(refreshQr, (config.qr_seconds || 60) * 1000);
