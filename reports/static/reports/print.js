// "Print" buttons on the minutes and the final report: a script file, not an onclick
// attribute, because the Content-Security-Policy runs no inline code.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
