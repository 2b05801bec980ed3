// "Select all" for the signatures form: a collective case has hundreds of workers to tick.
(function () {
  "use strict";
  var button = document.getElementById("select-all-parties");
  if (!button) { return; }
  button.addEventListener("click", function () {
    document.querySelectorAll("#parties input[type=checkbox]").forEach(function (box) { box.checked = true; });
  });
})();
