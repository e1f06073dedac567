// The projector page: a button that fills the whole screen with it (the browser's Fullscreen
// API; F11 does the same without this script).
"use strict";
(function () {
  var button = document.querySelector("[data-volledig-scherm]");
  if (!button || !document.fullscreenEnabled) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen();
  });
  document.addEventListener("fullscreenchange", function () {
    button.textContent = document.fullscreenElement ? "Volledig scherm uit" : "Volledig scherm";
  });
})();
