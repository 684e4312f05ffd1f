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
// One editor at a time. Opening another editor, or any request that redraws the form, while an
// editor holds unsaved text keeps that editor open and focuses it: saving one editor answers the
// whole workspace, which would otherwise drop what was typed in the other. An untouched editor
// is closed (取消) before the next one opens.
(function () {
  "use strict";

  function fields(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input:not([type=hidden]), textarea, select"));
  }
  function changed(field) {
    if (field.tagName === "SELECT") {
      // With no option marked selected the browser shows the first, and that is the default.
      var initial = Array.prototype.findIndex.call(field.options, function (option) { return option.defaultSelected; });
      return field.selectedIndex !== Math.max(initial, 0);
    }
    return field.value !== field.defaultValue;
  }
  function unsaved(form) { return fields(form).some(changed); }
  function close(form) {
    var cancel = form.querySelector("[data-cancel]");
    if (cancel) { cancel.click(); } else { form.remove(); }
  }

  // Leaving the page (a link, reload, closing the tab) with unsaved text asks the browser's question.
  window.addEventListener("beforeunload", function (event) {
    if (Array.prototype.some.call(document.querySelectorAll(".editor"), unsaved)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A save answers the whole workspace: what is typed in the workflow form (提交说明) is kept
  // across it, into the same form when the new workspace still has it.
  var kept = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var typed = document.querySelector("#workspace form.workflow [name=reason]");
    kept = target && target.id === "workspace" && typed && typed.value
      ? { form: typed.form.getAttribute("hx-post"), value: typed.value } : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!kept) { return; }
    var forms = document.querySelectorAll("#workspace form.workflow");
    Array.prototype.forEach.call(forms, function (form) {
      var field = form.querySelector("[name=reason]");
      if (form.getAttribute("hx-post") === kept.form && field && !field.value) { field.value = kept.value; }
    });
    kept = null;
  });

  document.addEventListener("htmx:confirm", function (event) {
    var from = event.detail.elt;
    var own = from && from.closest ? from.closest(".editor") : null;
    var others = Array.prototype.filter.call(document.querySelectorAll(".editor"), function (form) {
      return form !== own;
    });
    var held = others.filter(unsaved)[0];
    if (held) {
      event.preventDefault();
      fields(held).filter(changed)[0].focus();
      var box = document.getElementById("notice");
      window.jixiaoNotice(box ? box.getAttribute("data-unsaved") : "");
      return;
    }
    var target = event.detail.target;
    others.forEach(function (form) {
      // An editor the answer replaces anyway (改名 after opening the same name cell) stays for it.
      if (!target || !form.contains(target)) { close(form); }
    });
  });
})();
// A plain form's button that hands the table on (审核通过, 退回) asks first (data-confirm);
// htmx forms ask with hx-confirm.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button ? button.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
