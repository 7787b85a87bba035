// "Use this template": copy a rendered reply template into the form of its step on the case
// page (the customer reply form by default), open that form and put the cursor in the text.
// Without JavaScript the buttons stay hidden and the text can be copied from its <details>.
(function () {
  "use strict";
  function use(button) {
    var source = document.getElementById(button.dataset.source);
    var form = document.querySelector('form[data-step="' + button.dataset.step + '"]') ||
      document.querySelector('form[data-step="reply"]');
    if (!source || !form) { return; }
    var area = form.querySelector('[name="' + button.dataset.field + '"]') || form.querySelector("textarea");
    if (!area) { return; }
    var holder = form.closest("details");
    if (holder) { holder.open = true; }
    area.value = source.textContent;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
    var status = document.getElementById("template-status");
    if (status) { status.textContent = status.dataset.used; }
  }
  function init() {
    var buttons = document.querySelectorAll("button.use-template");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      var target = document.querySelector('form[data-step="' + button.dataset.step + '"]') ||
        document.querySelector('form[data-step="reply"]');
      if (!target) { continue; }
      button.hidden = false;
      button.addEventListener("click", function (event) { use(event.currentTarget); });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
