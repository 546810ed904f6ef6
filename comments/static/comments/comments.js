/* Comments: a live character counter under every comment box. No framework, no network. */
(function () {
  "use strict";

  function update(textarea) {
    var counter = document.getElementById(textarea.getAttribute("data-counter"));
    if (!counter) return;
    var max = parseInt(textarea.getAttribute("maxlength"), 10) || 5000;
    var length = textarea.value.length;
    var count = counter.querySelector(".count");
    if (count) count.textContent = String(length);
    counter.classList.toggle("near-limit", length > max * 0.9);
    counter.classList.toggle("at-limit", length >= max);
    // Announce only when it matters, not on every keystroke.
    counter.setAttribute("aria-live", length > max * 0.9 ? "polite" : "off");
  }

  function init() {
    var boxes = document.querySelectorAll("textarea[data-counter]");
    for (var i = 0; i < boxes.length; i++) {
      (function (textarea) {
        textarea.addEventListener("input", function () {
          update(textarea);
        });
        update(textarea);
      })(boxes[i]);
    }
    // A refused comment brings the page back: put the cursor where the text is.
    var invalid = document.querySelector('textarea[aria-invalid="true"]');
    if (invalid) invalid.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
