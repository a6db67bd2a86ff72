// Beredt: solves the self-registration form's proof-of-work challenge while the person
// fills in the form (see beredt/public/challenge.py). Nothing is shown; if the person
// presses Send before it is done, the form is sent as soon as it is.
(function () {
  "use strict";
  if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var encoder = new TextEncoder();

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      for (var bit = 7; bit >= 0 && !(bytes[i] & (1 << bit)); bit--) { count++; }
      break;
    }
    return count;
  }

  async function solve(challenge, bits) {
    for (var counter = 0; ; counter++) {
      var data = encoder.encode(challenge + ":" + counter);
      var digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
      if (zeroBits(digest) >= bits) { return String(counter); }
    }
  }

  document.querySelectorAll("form[data-pow-challenge]").forEach(function (form) {
    var field = form.querySelector("input[name=pow_solution]");
    var bits = parseInt(form.getAttribute("data-pow-bits"), 10) || 0;
    var waiting = false;
    var done = solve(form.getAttribute("data-pow-challenge"), bits).then(function (value) {
      field.value = value;
      if (waiting) { form.submit(); }
    });
    form.addEventListener("submit", function (event) {
      if (field.value) { return; }
      event.preventDefault();
      waiting = true;
      var button = form.querySelector("[type=submit]");
      if (button) { button.setAttribute("aria-busy", "true"); }
      return done;
    });
  });
})();
