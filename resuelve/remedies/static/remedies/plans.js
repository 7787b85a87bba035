// Progressive enhancement of the plan form: add item rows and show V2 and the value rule as
// one types. Without JavaScript the form has four rows and the server does the arithmetic.
(function () {
  "use strict";
  document.querySelectorAll("[data-plan-form]").forEach(function (form) {
    var rows = form.querySelector("[data-item-rows]");
    var total = form.querySelector("input[name='item-TOTAL_FORMS']");
    var add = form.querySelector("[data-add-item]");
    var max = parseInt(form.querySelector("input[name='item-MAX_NUM_FORMS']").value, 10);
    function num(name) {
      var input = form.querySelector("input[name='" + name + "']");
      var value = input ? parseFloat(input.value) : 0;
      return isNaN(value) ? 0 : value;
    }
    function update() {
      var v2 = 0;
      form.querySelectorAll("input[name$='-amount']").forEach(function (input) {
        var value = parseFloat(input.value);
        if (!isNaN(value)) { v2 += value; }
      });
      var box = form.querySelector("[data-plan-total]");
      box.hidden = false;
      box.querySelector("output").textContent = v2.toLocaleString();
      form.querySelector("[data-plan-warning]").hidden =
        v2 >= num("plan-purchase_value") + num("plan-customer_cost");
    }
    add.hidden = false;
    add.addEventListener("click", function () {
      var count = parseInt(total.value, 10);
      if (count >= max) { return; }
      var last = rows.querySelector("[data-item-row]:last-of-type");
      var copy = last.cloneNode(true);
      var from = "item-" + (count - 1) + "-";
      var to = "item-" + count + "-";
      copy.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.split(from).join(to)); }
        });
        if (el.value !== undefined && el.tagName !== "BUTTON") { el.value = ""; }
        el.removeAttribute("aria-invalid");
      });
      copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
      copy.querySelector("legend").textContent = copy.querySelector("legend").textContent.replace(/\d+/, String(count + 1));
      rows.appendChild(copy);
      total.value = String(count + 1);
      copy.querySelector("select, input").focus();
    });
    form.addEventListener("input", update);
    update();
  });
})();
