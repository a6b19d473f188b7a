// Hoursmith web pages: progressive enhancement only; every page works without this script.
(function () {
  "use strict";

  // Times: shown in the browser's time zone; the exact UTC time stays in the tooltip.
  var dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  var relative = typeof Intl.RelativeTimeFormat === "function" ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;
  function ago(date) {
    var seconds = (date.getTime() - Date.now()) / 1000;
    var units = [["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600], ["minute", 60]];
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1]) {
        return relative.format(Math.round(seconds / units[i][1]), units[i][0]);
      }
    }
    return "just now";
  }
  document.querySelectorAll("time[data-local]").forEach(function (element) {
    var date = new Date(element.getAttribute("datetime"));
    if (isNaN(date.getTime())) { return; }
    element.textContent = element.dataset.local === "relative" && relative ? ago(date) : dateTime.format(date);
  });

  // Copy buttons: hidden until the clipboard can be used; the field stays selectable either way.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      }, function () {
        field.select();
      });
    });
  });
})();
