// A Musrenbang forum held as a hearing: the proposal under discussion, its supports and the
// forum's scores (state.forum, aspirations/payloads.py; kept current by `forum.changed`).
// The markup is aspirations/templates/aspirations/_forum_panel.html; text only, no innerHTML.
import { api, el } from "./live.js";

export function currentProposal(state) {
  const current = state.agenda && state.agenda.current;
  const proposals = (state.forum && state.forum.proposals) || [];
  return current ? proposals.find((p) => p.agenda_item === current.id) || null : null;
}

const money = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-US" : "id-ID", {
  style: "currency",
  currency: "IDR",
  maximumFractionDigits: 0,
});

// A count that changed while the page is open flashes once; the first render does not.
function setCount(node, value) {
  const text = String(value);
  if (node.textContent === text) return;
  const first = node.textContent === "";
  node.textContent = text;
  node.dataset.count = text;
  node.classList.remove("bumped");
  if (first) return;
  void node.offsetWidth; // restart the highlight
  node.classList.add("bumped");
}

// Returns whether a proposal is shown (the screen counts it as one of its panels).
export function renderForum(state) {
  const box = document.getElementById("forum-proposal");
  if (!box) return false;
  const proposal = currentProposal(state);
  box.hidden = !proposal;
  if (!proposal) return false;
  box.dataset.aspiration = proposal.id;
  const $ = (id) => document.getElementById(id);
  $("forum-number").textContent = `#${proposal.id}`;
  $("forum-title").textContent = proposal.title;
  $("forum-where").textContent = `${proposal.kelurahan}, ${proposal.kecamatan}`;
  $("forum-cost").textContent = money.format(Number(proposal.estimated_cost));
  setCount($("forum-organizations"), proposal.supports.organizations);
  setCount($("forum-citizens"), proposal.supports.citizens);
  $("forum-scores").replaceChildren(
    ...proposal.scores.map((s) =>
      el("tr", { "data-criterion": s.criterion }, el("th", { scope: "row", text: s.name }), el("td", { text: String(s.value) })),
    ),
  );
  $("forum-score-total").textContent = String(proposal.score_total);
  $("forum-score-table").hidden = proposal.scores.length === 0;
  $("forum-no-scores").hidden = proposal.scores.length > 0;
  const link = $("forum-link");
  if (link) link.href = proposal.url;
  fillScores(proposal);
  return true;
}

// The console's score form (officials of the proposal's stage and area): the service checks
// who may score; its message is shown as it is. The new scores come back as `forum.changed`.
let scoredProposal = null;

function fillScores(proposal) {
  const form = document.getElementById("forum-score-form");
  if (!form || !proposal || scoredProposal === proposal.id) return;
  scoredProposal = proposal.id;
  const given = new Map(proposal.scores.map((s) => [String(s.criterion), String(s.value)]));
  for (const select of form.querySelectorAll("select[data-criterion]")) {
    select.value = given.get(select.dataset.criterion) || "";
  }
  document.getElementById("forum-score-status").textContent = "";
}

export function wireScoring(state) {
  const form = document.getElementById("forum-score-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const proposal = currentProposal(state);
    const status = document.getElementById("forum-score-status");
    if (!proposal) return;
    const scores = [...form.querySelectorAll("select[data-criterion]")]
      .filter((select) => select.value)
      .map((select) => ({ criterion: Number(select.dataset.criterion), value: Number(select.value) }));
    try {
      await api("PUT", `/api/v1/aspirations/${proposal.id}/scores/`, { scores });
      status.textContent = form.dataset.saved;
    } catch (error) {
      status.textContent = error.message;
    }
  });
}
