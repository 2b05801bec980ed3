// Adds a worker row to the intake grid by copying the last row and renumbering its fields
// (WTForms names them workers-<n>-<field>).
(function () {
  "use strict";
  var button = document.getElementById("add-worker");
  var grid = document.getElementById("worker-grid");
  if (!button || !grid) { return; }
  button.addEventListener("click", function () {
    var body = grid.tBodies[0];
    var rows = body.querySelectorAll("tr.worker-row");
    var last = rows[rows.length - 1];
    var index = rows.length;
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/^workers-\d+-/, "workers-" + index + "-");
      input.id = input.name;
      input.value = "";
      input.classList.remove("is-invalid");
    });
    copy.querySelectorAll(".invalid-feedback").forEach(function (node) { node.remove(); });
    copy.querySelector(".row-number").textContent = String(index + 1);
    body.appendChild(copy);
    copy.querySelector("input").focus();
  });
})();
