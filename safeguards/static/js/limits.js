// Progressive enhancement of the "Up to N characters" hints: near the limit, say how many are left.
// Without this script the hint and the field's maxlength still say and keep the limit.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  document.querySelectorAll(".limit[data-limit]").forEach(function (hint) {
    var field = document.getElementById(hint.parentNode.id.replace(/-hint$/, ""));
    if (!field) { return; }
    var limit = parseInt(hint.getAttribute("data-limit"), 10);
    var original = hint.textContent;
    function update() {
      var left = limit - field.value.length;
      var near = left <= Math.max(50, limit / 10);
      hint.classList.toggle("near", near);
      hint.textContent = near ? hint.getAttribute("data-left").replace("{n}", left.toLocaleString(lang)) : original;
    }
    field.addEventListener("input", update);
    update();
  });
})();
