// The problem list keeps itself up to date: a light poll of /problems/stamp, and when the
// stamp moves, the list (headline, colour counts, rows, pages) is fetched again and swapped in.
(function () {
  "use strict";
  // on a phone the filter menus fold away until asked for (unless some are in use)
  const more = document.getElementById("more-filters");
  if (more && window.matchMedia("(max-width: 760px)").matches && more.dataset.active !== "1") {
    more.open = false;
  }
  const live = document.getElementById("live");
  if (!live) return;
  const every = Math.max(1, Number(live.dataset.poll) || 4) * 1000;
  let stamp = null;
  let busy = false;
  let timer = null;

  function ended() {
    clearInterval(timer);
    const notice = document.getElementById("session-ended");
    if (notice) notice.hidden = false;
  }

  async function refresh() {
    const url = new URL(window.location.href);
    url.searchParams.set("partial", "1");
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (response.redirected || !response.ok) { ended(); return; }
    live.innerHTML = await response.text();  // rendered and escaped by the server
    live.dataset.refreshed = String(Number(live.dataset.refreshed || 0) + 1);
  }

  async function tick() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const response = await fetch("/problems/stamp", { credentials: "same-origin", cache: "no-store" });
      if (response.status === 401) { ended(); return; }
      if (!response.ok) return;
      const data = await response.json();
      if (stamp !== null && data.stamp !== stamp) await refresh();
      stamp = data.stamp;
    } catch (error) {
      // offline for a moment: the next tick tries again
    } finally {
      busy = false;
    }
  }

  timer = setInterval(tick, every);
  document.addEventListener("visibilitychange", tick);
  tick();
})();
