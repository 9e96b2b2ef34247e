"use strict";
// Audio on demand: one player for the whole page, not one <audio> per sentence.
// A line's button plays that sentence; "play all" plays every line with audio in order.
(function () {
  const player = document.getElementById("player");
  if (!player) { return; }
  let queue = [];
  function stop() { queue = []; player.pause(); }
  function playNext() {
    const button = queue.shift();
    if (!button) { return; }
    for (const b of document.querySelectorAll("button.play.playing")) { b.classList.remove("playing"); }
    button.classList.add("playing");
    player.src = button.dataset.src;
    player.play().catch(playNext);
  }
  player.addEventListener("ended", playNext);
  for (const button of document.querySelectorAll("button.play")) {
    button.addEventListener("click", () => { stop(); queue = [button]; playNext(); });
  }
  const all = document.getElementById("play-all");
  if (all) {
    all.addEventListener("click", () => { stop(); queue = [...document.querySelectorAll("button.play")]; playNext(); });
  }
  const halt = document.getElementById("stop");
  if (halt) { halt.addEventListener("click", stop); }
})();
