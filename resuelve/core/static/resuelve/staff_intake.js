/* The staff intake desk: results appear while the agent types (the search form works without
   this script), and after a refused submission the error summary takes the focus. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  var form = document.querySelector("form[data-lookup-url]");
  if (!form || !window.fetch) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var results = document.getElementById("lookup-results");
  var status = document.getElementById("lookup-status");
  var last = input.value.trim();
  var timer = null;
  var controller = null;

  function search() {
    var q = input.value.trim();
    if (q === last || (q.length > 0 && q.length < 2)) {
      return;
    }
    last = q;
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    var query = new URLSearchParams({ q: q }).toString();
    fetch(form.dataset.lookupUrl + "?" + query, {
      credentials: "same-origin",
      signal: controller.signal,
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        if (response.redirected) {
          form.submit(); // signed out meanwhile: let the page itself go to the sign-in
          throw new Error("redirected");
        }
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        var count = results.querySelector("[data-count]");
        status.textContent = count ? count.textContent.trim() : "";
        window.history.replaceState(null, "", q ? "?" + query : window.location.pathname);
      })
      .catch(function () {
        /* The agent can still press Search. */
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 300);
  });
})();
