// 导入: say in words when the chosen files are over the node's upload limit, before sending them
// (the node would refuse the request whole, with 413); and show that a long import is under way.
(function () {
  "use strict";
  var form = document.querySelector("form.import-form");
  if (!form) { return; }
  var limit = Number(form.getAttribute("data-max-bytes")) || 0;
  var input = form.querySelector("input[type=file]");
  var box = document.getElementById("import-too-large");
  var button = form.querySelector("button[type=submit]");
  // What the form adds around the files: its fields, and each part's headers.
  var FORM_BYTES = 4096, PART_BYTES = 512;

  function words(size) {
    var mega = 1048576;
    if (size >= mega) { return (size / mega).toFixed(1).replace(/\.0$/, "") + " MB"; }
    return Math.max(1, Math.round(size / 1024)) + " KB";
  }
  function chosen() {
    var total = 0;
    Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    return total;
  }
  function fits() {
    var count = (input.files || []).length;
    var size = chosen();
    var over = limit > 0 && size + FORM_BYTES + count * PART_BYTES > limit;
    box.textContent = over
      ? "所选 " + count + " 个文件共 " + words(size) + "，超过本节点单次导入的上限 " + words(limit) +
        "，不能导入。请分几次导入，或去掉不需要的文件后再试。"
      : "";
    box.hidden = !over;
    return !over;
  }
  input.addEventListener("change", fits);
  form.addEventListener("submit", function (event) {
    if (!fits()) { event.preventDefault(); return; }
    button.disabled = true;
    button.textContent = "正在导入…";
  });
  // Coming back to the page (history), the button works again.
  window.addEventListener("pageshow", function () {
    button.disabled = false;
    button.textContent = "导入";
  });
})();
