// Planner dashboard: live tallies over the consultation's stream (ARCHITECTURE.md §5).
// The page is rendered at `seq`; we connect with ?after=<seq> so the server replays
// what happened since, then goes live. `tally.updated` changes the tallies in place;
// comment events bring fresh comment figures (refreshFigures). Reconnects with back-off
// and resumes after the last seq.

const root = document.getElementById("dashboard");

function setStatus(text) {
  const status = root.querySelector("[data-live-status]");
  if (!status) return;
  status.hidden = !text;
  status.textContent = text;
}

function applyTally(data) {
  const row = root.querySelector(`tr[data-item="${data.item}"]`);
  if (!row) return;
  const counts = data.counts || {};
  const values = Object.values(counts);
  const rows = [...root.querySelectorAll("tr[data-item]")];
  let peak = Math.max(1, ...values);
  rows.forEach((other) => {
    other.querySelectorAll("td[data-choice] .n").forEach((n) => {
      peak = Math.max(peak, Number(n.textContent) || 0);
    });
  });
  row.querySelectorAll("td[data-choice]").forEach((cell) => {
    const n = cell.querySelector(".n");
    const fill = cell.querySelector(".bar rect");
    if (data.hidden) {
      if (n) n.textContent = "–";
      return;
    }
    const value = counts[cell.dataset.choice] ?? 0;
    if (n) n.textContent = String(value);
    if (fill) fill.setAttribute("width", ((100 * value) / peak).toFixed(1));
  });
  const total = row.querySelector("[data-total]");
  if (total) total.textContent = data.hidden ? "–" : String(data.total ?? 0);
  row.classList.remove("updated");
  void row.offsetWidth; // restart the highlight
  row.classList.add("updated");
}

// Comment figures (by section and stance, waiting for a response, the analysis status)
// change with every comment published or hidden. The server renders them (one rule for
// what counts); the page fetches itself again, a few seconds after the last such event,
// and swaps in the parts marked data-live-figures (each with an id).
const COMMENT_EVENTS = ["comment.published", "comment.hidden"];
let refreshTimer = null;

function refreshFiguresSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refreshFigures, 3000);
}

async function refreshFigures() {
  let html;
  try {
    const response = await fetch(location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    html = await response.text();
  } catch {
    return; // offline: the next event or a reload brings them
  }
  const fresh = new DOMParser().parseFromString(html, "text/html");
  root.querySelectorAll("[data-live-figures][id]").forEach((part) => {
    const replacement = fresh.getElementById(part.id);
    if (!replacement) return;
    part.replaceWith(document.importNode(replacement, true));
    const swapped = document.getElementById(part.id);
    swapped.classList.add("updated");
  });
}

function connect() {
  let lastSeq = Number(root.dataset.seq) || 0;
  let attempt = 0;
  const scheme = location.protocol === "https:" ? "wss" : "ws";

  function open() {
    const url = `${scheme}://${location.host}/ws/consultations/${root.dataset.consultation}/?after=${lastSeq}`;
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      attempt = 0;
      setStatus("");
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type !== "snapshot" && message.seq <= lastSeq) return; // duplicate
      lastSeq = Math.max(lastSeq, message.seq || 0);
      if (message.type === "tally.updated") applyTally(message.data);
      if (COMMENT_EVENTS.includes(message.type)) refreshFiguresSoon();
      if (message.type === "snapshot" && Array.isArray(message.data?.tallies)) {
        message.data.tallies.forEach(applyTally);
      }
    });
    socket.addEventListener("close", (event) => {
      if ([4401, 4403, 4404].includes(event.code)) {
        setStatus(root.dataset.deniedText || "Live updates unavailable.");
        return;
      }
      attempt += 1;
      const delay = Math.min(30000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
      setStatus(root.dataset.reconnectText || "Reconnecting…");
      setTimeout(open, delay);
    });
  }
  open();
}

if (root && "WebSocket" in window) connect();
