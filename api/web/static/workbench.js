// The workbench's own behaviour, beside htmx: notices, and keeping focus where the person is.
(function () {
  "use strict";

  function notice(text) {
    var box = document.getElementById("notice");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = false;
    window.clearTimeout(notice.timer);
    notice.timer = window.setTimeout(function () { box.hidden = true; }, 6000);
  }
  window.jixiaoNotice = notice;

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var text = status === 403 ? "无权执行此操作" : status === 413 ? "内容过大，未保存" : "服务器未能完成请求（" + status + "），未保存";
    notice(text);
  });
  document.addEventListener("htmx:sendError", function () {
    notice("无法连接到本节点，请检查网络后重试；未保存");
  });
  // A fragment may ask to be announced (HX-Trigger: {"jixiao:notice": "…"}).
  document.addEventListener("jixiao:notice", function (event) {
    notice(event.detail && event.detail.value ? event.detail.value : String(event.detail || ""));
  });
  // After a swap, put focus where the fragment asks (data-autofocus), for keyboard users.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    var wanted = target && target.querySelector ? target.querySelector("[data-autofocus]") : null;
    if (!wanted) { wanted = document.querySelector("[data-autofocus]"); }
    if (wanted) {
      wanted.focus();
      if (wanted.select) { wanted.select(); }
      wanted.removeAttribute("data-autofocus");
    }
  });
  // Escape cancels an open cell editor.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var editor = event.target.closest ? event.target.closest(".editor") : null;
    var cancel = editor ? editor.querySelector("[data-cancel]") : null;
    if (cancel) { cancel.click(); }
  });
})();
// History (逐格追溯): mark the cell whose blame the panel shows.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-blame]") : null;
    if (!button) { return; }
    document.querySelectorAll("td.selected").forEach(function (cell) { cell.classList.remove("selected"); });
    var cell = button.closest("td");
    if (cell) { cell.classList.add("selected"); }
  });
})();
// Editing in place: 取消 of a panel editor clears its panel; Ctrl+Enter saves a long text.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-clear]") : null;
    if (!button) { return; }
    var panel = document.querySelector(button.getAttribute("data-clear"));
    if (panel) { panel.replaceChildren(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) { return; }
    if (event.target.tagName !== "TEXTAREA") { return; }
    var form = event.target.closest("form.editor");
    if (form) { event.preventDefault(); form.requestSubmit(); }
  });
})();
