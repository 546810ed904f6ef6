// After a vote the page comes back at the item's vote panel (#vote-<id>); the outcome is in
// the panel. Focus moves to it so a screen reader reads it out at once: after the load,
// because the browser's own jump to the #fragment would otherwise take the focus away.
(function () {
  const outcome = document.querySelector("[data-vote-outcome]");
  if (!outcome) {
    return;
  }
  // Centred, with the item's buttons in sight, rather than at the edge of the screen.
  const focus = () =>
    window.setTimeout(() => {
      outcome.focus({ preventScroll: true });
      outcome.scrollIntoView({ block: "center" });
    }, 0);
  if (document.readyState === "complete") {
    focus();
  } else {
    window.addEventListener("load", focus, { once: true });
  }
})();
