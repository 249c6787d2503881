// Small enhancements; every page works without them.
(function () {
  "use strict";

  // Countdowns next to times ("in 4 min 10 s", "3 min ago").
  function countdowns() {
    const now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach((el) => {
      const at = Date.parse(el.dataset.countdown);
      if (Number.isNaN(at)) return;
      const s = Math.round((at - now) / 1000);
      const a = Math.abs(s);
      const text = (a >= 3600 ? Math.floor(a / 3600) + " h " : "") + (a >= 60 ? Math.floor((a % 3600) / 60) + " min " : "")
        + (a < 3600 ? (a % 60) + " s" : "");
      el.textContent = s >= 0 ? "in " + text.trim() : text.trim() + " ago";
      el.title = new Date(at).toLocaleString();
      el.classList.toggle("late", s < 0);
    });
  }

  // Verdict keys: a approve, r reject, c correct (opens the editor); never while typing.
  function shortcuts() {
    const form = document.getElementById("verdict-form");
    if (!form) return;
    document.addEventListener("keydown", (e) => {
      const t = e.target;
      if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT"))) return;
      if (e.key === "a") { e.preventDefault(); document.getElementById("approve").click(); }
      else if (e.key === "r") { e.preventDefault(); document.getElementById("reject").click(); }
      else if (e.key === "c") {
        e.preventDefault();
        const box = document.getElementById("correct-box");
        if (!box) return; // a side-by-side judgement takes no correction
        box.open = true;
        const first = box.querySelector("textarea, input:not([type=hidden]), select");
        if (first) first.focus();
      }
    });
    // Whether a verdict needs a rationale is the review service's rule: its answer is shown on the page.
  }

  function start() { countdowns(); shortcuts(); setInterval(countdowns, 1000); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  document.addEventListener("htmx:afterSettle", countdowns);
})();
