// The moderator console: runs the session, chooses what the big screen shows.
import {
  api,
  applyEvent,
  connectHearing,
  el,
  organizationName,
  readJSON,
  tallyBars,
} from "./live.js";
import { renderForum, wireScoring } from "./forum.js";

const state = readJSON("hearing-state");
const config = readJSON("live-config");
const labels = readJSON("live-labels");
// Published comments not on the screen yet, newest first: the moderator picks from these.
// (Comments still waiting for moderation are state.pending_comments, kept by applyEvent.)
let pending = readJSON("screen-candidates-data") || [];
let selected = 0;
const $ = (id) => document.getElementById(id);

for (const node of document.querySelectorAll(".choice-label")) {
  node.textContent = labels[node.dataset.choice] || node.dataset.choice;
}

async function run(method, path, body) {
  const status = $("console-status");
  try {
    const data = await api(method, `${config.api}${path}`, body);
    status.textContent = "";
    return data;
  } catch (error) {
    status.textContent = `${labels.error} ${error.message}`;
    return null;
  }
}

// --- rendering ---

function render() {
  const hearing = state.hearing;
  const pill = $("status-pill");
  pill.textContent = labels[hearing.status] || hearing.status;
  pill.className = `pill status-${hearing.status}`;
  $("start").disabled = hearing.status !== "scheduled";
  $("advance").disabled = hearing.status !== "live";
  $("end").disabled = hearing.status !== "live";
  $("open-voting").disabled = hearing.status !== "live" || Boolean(state.voting);
  for (const button of document.querySelectorAll("[data-mode]")) {
    button.setAttribute("aria-pressed", String(button.dataset.mode === hearing.screen_mode));
  }
  renderAgenda();
  renderForum(state);
  renderVoting();
  renderComments();
  renderSpeakers();
  renderCounts();
  renderQuestions();
  $("attendance-count").textContent = String((state.attendance && state.attendance.count) || 0);
}

function renderAgenda() {
  const agenda = state.agenda || { agenda: [], current: null };
  $("agenda-list").replaceChildren(
    ...agenda.agenda.map((a) => {
      const current = agenda.current && agenda.current.id === a.id;
      return el(
        "li",
        { class: current ? "current" : "", "data-agenda": a.id, "aria-current": current ? "step" : null },
        el(
          "div",
          { class: "step" },
          el("span", { class: "step-title", text: a.title }),
          current || state.hearing.status !== "live"
            ? null
            : el("button", {
                type: "button",
                class: "link",
                text: "→",
                "aria-label": `${labels.go_to_item} ${a.title}`,
                title: `${labels.go_to_item} ${a.title}`,
                onclick: () => run("POST", "advance/", { agenda_item: a.id }),
              }),
        ),
      );
    }),
  );
}

function renderVoting() {
  const voting = state.voting;
  $("voting-live").hidden = !voting;
  $("voting-open-form").hidden = Boolean(voting);
  if (!voting) return;
  const item = voting.item || {};
  $("vote-item").textContent = [item.code, item.title].filter(Boolean).join(" · ");
  const tally = state.tally;
  if (tally && tally.item === item.id && !tally.hidden) {
    const { rows, total } = tallyBars(tally, voting.choices, labels);
    $("vote-bars").replaceChildren(...rows);
    $("vote-total").textContent = `${labels.total}: ${total} ${labels.votes}`;
  } else {
    $("vote-bars").replaceChildren();
    $("vote-total").textContent = tally && tally.hidden ? labels.hidden : "";
  }
}

function commentNode(comment, actionLabel, action, isSelected) {
  return el(
    "li",
    { "data-comment-id": comment.id, class: isSelected ? "selected" : "" },
    el("p", { class: "who", text: organizationName(comment) }),
    el("p", { class: "body", text: comment.body }),
    el("button", { type: "button", class: "button small", text: actionLabel, onclick: action }),
  );
}

function renderComments() {
  const onScreen = new Set(state.screen_comments.map((c) => c.id));
  pending = pending.filter((c) => !onScreen.has(c.id));
  selected = Math.max(0, Math.min(selected, pending.length - 1));
  $("pending-comments").replaceChildren(
    ...pending.map((c, i) => commentNode(c, labels.show, () => show(c.id), i === selected)),
  );
  if (!pending.length) {
    $("pending-comments").replaceChildren(el("li", { class: "empty", text: labels.no_comments }));
  }
  const awaiting = [...state.pending_comments].reverse(); // newest first
  $("awaiting").hidden = !awaiting.length;
  $("awaiting-comments").replaceChildren(
    ...awaiting.map((c) =>
      commentNode(c, labels.approve_comment, () => api("POST", `/api/v1/comments/${c.id}/approve/`).catch((e) => {
        $("console-status").textContent = `${labels.error} ${e.message}`;
      })),
    ),
  );
  $("screen-comments").replaceChildren(
    ...[...state.screen_comments].reverse().map((c) => commentNode(c, labels.hide, () => hide(c.id))),
  );
}

function renderSpeakers() {
  const speakers = state.speakers || { queue: [], speaking: null };
  $("speaking").textContent = speakers.speaking
    ? `${labels.speaking}: ${speakers.speaking.organization}`
    : "";
  $("speaking-actions").hidden = !speakers.speaking;
  const ids = speakers.queue.map((s) => s.id);
  const move = (index, delta) => {
    const order = [...ids];
    const [id] = order.splice(index, 1);
    order.splice(index + delta, 0, id);
    run("POST", "speakers/order/", { order });
  };
  $("queue").replaceChildren(
    ...speakers.queue.map((s, i) =>
      el(
        "li",
        { "data-speaker": s.id },
        el("span", { class: "who", text: s.organization }),
        el("button", { type: "button", class: "link", text: "↑", "aria-label": labels.up, disabled: i === 0, onclick: () => move(i, -1) }),
        el("button", { type: "button", class: "link", text: "↓", "aria-label": labels.down, disabled: i === ids.length - 1, onclick: () => move(i, 1) }),
        el("button", {
          type: "button",
          class: "button small",
          text: labels.give_floor,
          onclick: () => run("POST", `speakers/${s.id}/floor/`, { seconds: Number($("floor-seconds").value) }),
        }),
        el("button", { type: "button", class: "link", text: labels.withdraw, onclick: () => run("POST", `speakers/${s.id}/withdraw/`) }),
      ),
    ),
  );
  if (!speakers.queue.length) $("queue").replaceChildren(el("li", { class: "empty", text: labels.queue_empty }));
}

function renderCounts() {
  $("manual-counts").replaceChildren(
    ...state.manual_counts.map((c) =>
      el(
        "li",
        {},
        `${c.item ? c.item.title : ""} · ${c.label}: `,
        Object.entries(c.counts).map(([k, n]) => `${labels[k] || k} ${n}`).join(" · "),
      ),
    ),
  );
}

async function refreshScreens() {
  try {
    renderScreens(await api("GET", `${config.api}screens/`));
  } catch {
    // the list simply stays as it was; the next poll tries again
  }
}

// A screen names itself with a random id (screen.js); the console says "Screen a1b2c3" in
// the reader's language rather than the id's prefix.
function screenName(id) {
  return `${labels.screen} ${String(id).replace(/^(layar|screen)-/, "")}`;
}

function renderScreens(screens) {
  const now = Date.now();
  $("screens").replaceChildren(
    ...screens.map((s) => {
      const ago = Math.max(0, Math.round((now - Date.parse(s.last_seen)) / 1000));
      return el(
        "li",
        { "data-screen": s.screen },
        el("strong", { text: screenName(s.screen) }),
        s.label ? el("span", { text: s.label }) : null,
        el("span", { class: "screen-seen", text: `${ago} ${labels.seconds_ago}` }),
      );
    }),
  );
  if (!screens.length) $("screens").replaceChildren(el("li", { class: "empty", text: labels.no_screens }));
}

// --- the room's questions: the most upvoted first; screen, answered, merge ---

const TOP_QUESTIONS = 10;

function openQuestions() {
  return (state.questions || [])
    .filter((q) => !q.merged_into && !q.answered_at)
    .sort((a, b) => b.upvotes - a.upvotes || a.id - b.id);
}

function questionRow(q, others) {
  const screenButton = el("button", {
    type: "button",
    class: "button small",
    "data-question-screen": q.id,
    text: q.featured_at ? labels.hide_question : labels.show_question,
    onclick: () => questionAction(q.id, q.featured_at ? "unscreen" : "screen"),
  });
  const answerButton = el("button", {
    type: "button",
    class: "button small",
    "data-question-answered": q.id,
    text: q.answered_at ? labels.mark_unanswered : labels.mark_answered,
    onclick: () => questionAction(q.id, q.answered_at ? "unanswered" : "answered"),
  });
  const actions = el("div", { class: "question-actions" }, screenButton, answerButton);
  if (!q.answered_at && others.length) {
    const selectId = `merge-into-${q.id}`;
    const select = el(
      "select",
      { id: selectId },
      ...others.map((o) => el("option", { value: o.id, text: `#${o.id} ${o.body.slice(0, 60)}` })),
    );
    actions.append(
      el("label", { for: selectId, class: "sr-only", text: labels.merge_into }),
      select,
      el("button", {
        type: "button",
        class: "button small",
        "data-question-merge": q.id,
        text: labels.merge,
        title: labels.merge_into,
        onclick: () => questionAction(q.id, "merge", { into: Number(select.value) }),
      }),
    );
  }
  const tags = [];
  if (q.featured_at) tags.push(labels.question_on_screen);
  return el(
    "li",
    { "data-question-id": q.id, class: q.answered_at ? "answered" : "" },
    el("span", { class: "upvote-count", "aria-label": `${q.upvotes} ${labels.upvotes}`, text: `▲ ${q.upvotes}` }),
    el("p", { class: "who", text: `#${q.id} · ${organizationName(q)}` }),
    el("p", { class: "body", text: q.body }),
    el("p", { class: "question-tags", text: tags.join(" · ") }),
    actions,
  );
}

function renderQuestions() {
  const open = openQuestions();
  const top = open.slice(0, TOP_QUESTIONS);
  // Keep the keyboard where it was: rows are rebuilt, the focused control is found again.
  const focused = document.activeElement;
  const focusKey = focused && focused.closest("#questions, #answered-questions")
    ? [...focused.attributes].filter((a) => a.name.startsWith("data-question-") || a.name === "id").map((a) => `[${a.name}="${a.value}"]`).join("")
    : "";
  $("questions").replaceChildren(
    ...top.map((q) => questionRow(q, open.filter((o) => o.id !== q.id))),
  );
  if (!top.length) $("questions").replaceChildren(el("li", { class: "empty", text: labels.no_questions }));
  const answered = (state.questions || []).filter((q) => q.answered_at && !q.merged_into).sort((a, b) => b.id - a.id);
  $("answered-count").textContent = String(answered.length);
  $("answered-questions").replaceChildren(...answered.map((q) => questionRow(q, [])));
  if (focusKey) {
    const again = document.querySelector(focusKey);
    if (again) again.focus();
  }
}

async function questionAction(id, verb, body) {
  const data = await run("POST", `questions/${id}/${verb}/`, body);
  if (data) {
    applyEvent(state, { type: "question.updated", data });
    renderQuestions();
  }
}

// --- actions ---

// The answer is applied at once (the event that follows changes nothing): the moderator
// can press A again right away and get the next comment.
async function show(id) {
  const comment = await run("POST", "screen-comments/", { comment: id });
  if (comment) {
    applyEvent(state, { type: "comment.screened", data: comment });
    render();
  }
}

async function hide(id) {
  const comment = await run("DELETE", `screen-comments/${id}/`);
  if (comment) {
    const known = state.screen_comments.find((c) => c.id === id);
    if (known && !pending.some((c) => c.id === id)) pending.unshift(comment);
    applyEvent(state, { type: "comment.screened", data: comment });
    render();
  }
}

for (const button of document.querySelectorAll("[data-action]")) {
  button.addEventListener("click", () => {
    if (button.dataset.action === "end" && !window.confirm(button.textContent.trim() + "?")) return;
    run("POST", `${button.dataset.action}/`);
  });
}
for (const button of document.querySelectorAll("[data-mode]")) {
  button.addEventListener("click", () => run("POST", "screen/", { mode: button.dataset.mode }));
}
$("open-voting").addEventListener("click", () =>
  run("POST", "open-voting/", { item: Number($("voting-item").value) }),
);
$("close-voting").addEventListener("click", () => run("POST", "close-voting/"));
$("speaker-done").addEventListener("click", () => {
  const speaking = state.speakers && state.speakers.speaking;
  if (speaking) run("POST", `speakers/${speaking.id}/done/`);
});
$("rotate-key").addEventListener("click", async () => {
  const hearing = await run("POST", "rotate-key/");
  if (!hearing) return;
  const link = $("screen-link");
  const path = hearing.urls.screen;
  link.href = path;
  link.textContent = `${window.location.origin}${path}`;
  $("screen-link-light").href = `${path}&theme=light`;
});
$("check-in").addEventListener("click", async () => {
  const select = $("check-in-organization");
  const result = await run("POST", "check-in/", { organization: Number(select.value) });
  if (result) addAttendance(result.organization.name);
});
$("manual-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const counts = {};
  for (const input of document.querySelectorAll("[data-manual]")) counts[input.dataset.manual] = Number(input.value);
  await run("POST", "manual-counts/", {
    item: Number($("manual-item").value),
    method: $("manual-method").value,
    counts,
  });
});

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, select, textarea, [contenteditable]")) return;
  const key = event.key.toLowerCase();
  const actions = {
    j: () => { selected = Math.min(selected + 1, pending.length - 1); renderComments(); },
    arrowdown: () => { selected = Math.min(selected + 1, pending.length - 1); renderComments(); },
    k: () => { selected = Math.max(selected - 1, 0); renderComments(); },
    arrowup: () => { selected = Math.max(selected - 1, 0); renderComments(); },
    a: () => pending[selected] && show(pending[selected].id),
    h: () => state.screen_comments.length && hide(state.screen_comments.at(-1).id),
    n: () => state.hearing.status === "live" && run("POST", "advance/"),
    v: () => !$("open-voting").disabled && $("open-voting").click(),
    c: () => state.voting && run("POST", "close-voting/"),
    l: () => run("POST", "screen/", { mode: "live" }),
    f: () => run("POST", "screen/", { mode: "frozen" }),
    b: () => run("POST", "screen/", { mode: "blank" }),
  };
  if (actions[key]) {
    event.preventDefault();
    actions[key]();
  }
});

// --- live updates ---

function onEvent(message) {
  const data = message.data || {};
  if (message.type === "comment.published" && !data.redacted) {
    const index = pending.findIndex((c) => c.id === data.id);
    if (index >= 0) pending[index] = data;
    else if (!data.on_screen_at) pending.unshift(data);
  } else if (message.type === "comment.hidden") {
    pending = pending.filter((c) => c.id !== data.id);
  } else if (message.type === "comment.screened" && !data.redacted && !data.on_screen_at) {
    const known = state.screen_comments.some((c) => c.id === data.id);
    if (known && !pending.some((c) => c.id === data.id)) pending.unshift(data);
  }
  if (message.type === "attendance.updated" && data.latest) addAttendance(data.latest.organization.name);
  applyEvent(state, message);
  render();
}

function addAttendance(name) {
  const names = [...$("attendance").children].map((li) => li.dataset.name || li.textContent);
  if (!names.some((n) => n.startsWith(name))) $("attendance").append(el("li", { "data-name": name, text: name }));
}

connectHearing({
  hearing: config.hearing,
  seq: config.seq,
  api: config.api,
  view: "moderator",
  onEvent,
  onStatus: (status) => {
    $("status-badge").hidden = status === "live";
  },
});
render();
wireScoring(state);
renderScreens(readJSON("screens-data") || []);
// Screens report every 30 s (a new one at once): the list follows without a reload.
setInterval(refreshScreens, 5000);
