// The hearing room on a participant's phone.
import {
  api,
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
const $ = (id) => document.getElementById(id);
let myChoice = null;

function render() {
  const hearing = state.hearing;
  $("hearing-title").textContent = hearing.title;
  $("hearing-location").textContent = hearing.location;
  const pill = $("status-pill");
  pill.textContent = labels[hearing.status] || hearing.status;
  pill.className = `pill status-${hearing.status}`;
  renderAgenda();
  renderForum(state);
  renderVote();
  renderSpeakers();
  renderFeed();
  renderQuestions();
  $("attendance-count").textContent = String((state.attendance && state.attendance.count) || 0);
}

function renderAgenda() {
  const agenda = state.agenda || { agenda: [], current: null };
  $("agenda-title").textContent = agenda.current ? agenda.current.title : labels.no_agenda;
  $("agenda-list").replaceChildren(
    ...agenda.agenda.map((a) =>
      el("li", { class: agenda.current && agenda.current.id === a.id ? "current" : "", text: a.title }),
    ),
  );
}

function renderVote() {
  const voting = state.voting;
  $("vote").hidden = !voting;
  if (!voting) return;
  const item = voting.item || {};
  $("vote-item").textContent = [item.code, item.title].filter(Boolean).join(" · ");
  const buttons = $("vote-buttons");
  if (buttons && buttons.dataset.item !== String(item.id)) {
    buttons.dataset.item = String(item.id);
    buttons.replaceChildren(
      ...voting.choices.map((choice) =>
        el("button", {
          type: "button",
          class: `button choice-${choice}`,
          "data-choice": choice,
          text: labels[choice] || choice,
          onclick: () => vote(item.id, choice),
        }),
      ),
    );
    loadMyVote(item.id);
  }
  if (buttons) {
    for (const button of buttons.children) {
      button.setAttribute("aria-pressed", String(button.dataset.choice === myChoice));
    }
  }
  const tally = state.tally;
  if (tally && !tally.hidden && tally.item === item.id) {
    const { rows, total } = tallyBars(tally, voting.choices, labels);
    $("vote-bars").replaceChildren(...rows);
    $("vote-total").textContent = `${labels.total}: ${total} ${labels.votes}`;
  } else {
    $("vote-bars").replaceChildren();
    $("vote-total").textContent = tally && tally.hidden ? labels.hidden : "";
  }
}

async function loadMyVote(item) {
  try {
    const data = await api("GET", `/api/v1/items/${item}/vote/`);
    myChoice = data && data.choice;
  } catch {
    myChoice = null;
  }
  renderVote();
}

async function vote(item, choice) {
  const hint = $("vote-hint");
  try {
    await api("PUT", `/api/v1/items/${item}/vote/`, { choice });
    myChoice = choice;
    hint.textContent = labels.vote_saved;
  } catch (error) {
    hint.textContent = `${labels.error} ${error.message}`;
  }
  renderVote();
}

function renderSpeakers() {
  const speakers = state.speakers || { queue: [], speaking: null };
  $("speaking").textContent = speakers.speaking
    ? `${labels.speaking}: ${speakers.speaking.organization}`
    : "";
  $("queue").replaceChildren(
    ...speakers.queue.map((s) => el("li", { "data-speaker": s.id, text: s.organization })),
  );
  if (!speakers.queue.length && !speakers.speaking) {
    $("queue").replaceChildren(el("li", { class: "empty", text: labels.queue_empty }));
  }
  const ask = $("ask-floor");
  if (ask) {
    const mine = [...speakers.queue, speakers.speaking].some(
      (s) => s && s.organization_id === config.organization,
    );
    ask.disabled = mine || state.hearing.status !== "live";
  }
}

// The feed is announced politely (aria-live on the list): existing items stay the same
// nodes, so a screen reader hears only the comments that are new, never the whole list.
function commentItem(c) {
  return el(
    "li",
    { "data-comment-id": c.id, "data-edited": c.edited_at || "" },
    el("p", { class: "who" }, organizationName(c), c.stance ? el("span", { class: `stance stance-${c.stance}`, text: labels[c.stance] || c.stance }) : null),
    el("p", { class: "body", text: c.body }),
  );
}

function renderFeed() {
  const feed = $("feed");
  const comments = [...state.comments].reverse(); // newest first
  if (!comments.length) {
    if (!feed.querySelector("li.empty")) feed.replaceChildren(el("li", { class: "empty", text: labels.no_comments }));
    return;
  }
  const empty = feed.querySelector("li.empty");
  if (empty) empty.remove();
  const wanted = new Set(comments.map((c) => String(c.id)));
  const existing = new Map();
  for (const li of [...feed.children]) {
    if (!wanted.has(li.dataset.commentId)) li.remove();
    else existing.set(li.dataset.commentId, li);
  }
  let before = feed.firstElementChild;
  for (const c of comments) {
    let li = existing.get(String(c.id));
    if (li && li.dataset.edited !== (c.edited_at || "")) {
      const fresh = commentItem(c); // edited: the new text is worth announcing
      li.replaceWith(fresh);
      li = fresh;
    } else if (!li) {
      li = commentItem(c);
    }
    if (li !== before) feed.insertBefore(li, before);
    before = li.nextElementSibling;
  }
}

// --- the room's questions: sorted by upvotes or by time, upvoted with one press ---

let questionSort = "upvotes";
const upvoted = new Set(config.upvoted || []);
const ownQuestions = new Set(config.own_questions || []);

function sortedQuestions() {
  const open = (state.questions || []).filter((q) => !q.merged_into);
  if (questionSort === "time") return open.sort((a, b) => b.id - a.id);
  // Unanswered first; then the most upvoted; equal counts: the earlier question first.
  return open.sort(
    (a, b) => Boolean(a.answered_at) - Boolean(b.answered_at) || b.upvotes - a.upvotes || a.id - b.id,
  );
}

function questionItem(q) {
  const li = el("li", { "data-question-id": q.id });
  li.append(
    el("p", { class: "who", text: organizationName(q) }),
    el("p", { class: "body", text: q.body }),
    el("p", { class: "question-tags" }),
  );
  const button = el("button", {
    type: "button",
    class: "upvote",
    "data-upvote": q.id,
  });
  button.addEventListener("click", () => toggleUpvote(q.id, button));
  li.prepend(button);
  return li;
}

function updateQuestionItem(li, q) {
  const mine = ownQuestions.has(q.id);
  const pressed = upvoted.has(q.id);
  const button = li.querySelector(".upvote");
  button.disabled = !config.can_upvote || mine;
  button.setAttribute("aria-pressed", String(pressed));
  // The button says what it does and the count, in words: not by colour or the arrow alone.
  button.setAttribute("aria-label", `${mine ? labels.your_question : labels.upvote_question}: ${q.upvotes} ${labels.upvotes}`);
  const text = `▲ ${q.upvotes}`;
  if (button.textContent !== text) button.textContent = text;
  const body = li.querySelector(".body");
  if (body.textContent !== q.body) body.textContent = q.body;
  const tags = [];
  if (mine) tags.push(labels.your_question);
  if (q.answered_at) tags.push(`✓ ${labels.answered}`);
  if (q.featured_at) tags.push(labels.question_on_screen);
  li.querySelector(".question-tags").textContent = tags.join(" · ");
  li.classList.toggle("answered", Boolean(q.answered_at));
}

function renderQuestions() {
  const list = $("questions");
  const rows = sortedQuestions();
  if (!rows.length) {
    if (!list.querySelector("li.empty")) list.replaceChildren(el("li", { class: "empty", text: labels.no_questions }));
    return;
  }
  const focused = document.activeElement;
  const existing = new Map([...list.querySelectorAll("li[data-question-id]")].map((li) => [li.dataset.questionId, li]));
  const nodes = rows.map((q) => {
    const li = existing.get(String(q.id)) || questionItem(q);
    updateQuestionItem(li, q);
    return li;
  });
  const order = nodes.map((n) => n.dataset.questionId).join(",");
  const current = [...list.children].map((n) => n.dataset.questionId).join(",");
  if (order !== current) {
    list.replaceChildren(...nodes);
    // Moving a node drops its focus: a keyboard user keeps the button they pressed.
    if (focused && list.contains(focused) && document.activeElement !== focused) focused.focus();
  }
}

async function toggleUpvote(id, button) {
  const wasUp = upvoted.has(id);
  button.disabled = true;
  try {
    const data = await api(wasUp ? "DELETE" : "PUT", `/api/v1/comments/${id}/upvote/`);
    if (wasUp) upvoted.delete(id);
    else upvoted.add(id);
    applyEvent(state, { type: "question.updated", data });
    $("question-status").textContent = "";
  } catch (error) {
    $("question-status").textContent = `${labels.error} ${error.message}`;
  } finally {
    button.disabled = false;
    renderQuestions();
  }
}

for (const button of document.querySelectorAll("[data-sort]")) {
  button.addEventListener("click", () => {
    questionSort = button.dataset.sort;
    for (const other of document.querySelectorAll("[data-sort]")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
    renderQuestions();
  });
}

// --- actions ---

const askFloor = $("ask-floor");
if (askFloor) {
  askFloor.addEventListener("click", async () => {
    askFloor.disabled = true;
    try {
      await api("POST", `${config.api}speakers/`);
      askFloor.textContent = labels.floor_asked;
    } catch (error) {
      askFloor.disabled = false;
      window.alert(`${labels.error} ${error.message}`);
    }
  });
}

const form = $("comment-form");
if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = $("comment-status");
    const body = $("comment-body").value.trim();
    if (!body) return;
    try {
      const comment = await api("POST", "/api/v1/comments/", {
        consultation: config.consultation,
        hearing: config.hearing,
        stance: $("comment-stance").value,
        body,
      });
      $("comment-body").value = "";
      if (comment && comment.stance === "question") {
        ownQuestions.add(comment.id);
        renderQuestions();
      }
      status.textContent = comment && comment.status === "pending" ? labels.pending : labels.sent;
    } catch (error) {
      status.textContent = `${labels.error} ${error.message}`;
    }
  });
}

function onStatus(status) {
  $("status-badge").hidden = status === "live";
  if (status === "denied") $("status-badge").textContent = labels.denied;
}

connectHearing({
  hearing: config.hearing,
  seq: config.seq,
  api: config.api,
  onEvent: (message) => {
    const latest = message.type === "attendance.updated" && message.data.latest;
    const org = latest && latest.organization;
    if (org && org.id === config.organization && $("check-in-status")) {
      $("check-in-status").textContent = `✓ ${org.name}`; // our organization just checked in
    }
    applyEvent(state, message);
    render();
  },
  onStatus,
});
render();
