// One-time submission tokens (mediation/web/submissions.py). The server renders each write
// form's token as the input's value attribute; here it becomes the input's current value with an
// empty default. Chromium saves, with the rest of the form's state, only values that differ from
// their default, and restores them on Back into the page it fetches anew: so the token the form
// was first shown with comes back with what the user typed, and sent again it is a replay.
// A token already put back by the browser differs from its default and is left alone.
(function () {
  "use strict";
  document.querySelectorAll("input[data-submission-token]").forEach(function (input) {
    if (input.value === input.defaultValue) {
      var token = input.value;
      input.defaultValue = "";
      input.value = token;
    }
  });
})();
