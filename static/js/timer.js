// A round's clock: counts down to the end time the server set (the page already shows that
// time as text). The projector's and the phone's content is replaced as the session changes,
// so every tick looks the clocks up again.
"use strict";
(function () {
  function tick() {
    var clocks = document.querySelectorAll("[data-eindtijd]");
    for (var i = 0; i < clocks.length; i++) {
      var left = Math.max(0, Math.round((Date.parse(clocks[i].getAttribute("data-eindtijd")) - Date.now()) / 1000));
      var seconds = left % 60;
      clocks[i].textContent = left ? "Nog " + Math.floor(left / 60) + ":" + (seconds < 10 ? "0" : "") + seconds : "Tijd is om";
    }
  }
  tick();
  setInterval(tick, 1000);
})();
