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
  renderVote();
  renderSpeakers();
  renderFeed();
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

function renderFeed() {
  const comments = [...state.comments].reverse();
  if (!comments.length) {
    $("feed").replaceChildren(el("li", { class: "empty", text: labels.no_comments }));
    return;
  }
  $("feed").replaceChildren(
    ...comments.map((c) =>
      el(
        "li",
        { "data-comment-id": c.id },
        el("p", { class: "who" }, organizationName(c), c.stance ? el("span", { class: `stance stance-${c.stance}`, text: labels[c.stance] || c.stance }) : null),
        el("p", { class: "body", text: c.body }),
      ),
    ),
  );
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
