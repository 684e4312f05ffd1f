// 绩效自评: the scores follow what is typed. The form is posted (debounced) to its preview
// address, which scores it and stores nothing; the answer updates the score cells. Without
// JavaScript the page still works: the scores are shown after 保存.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var address = form.getAttribute("data-preview");
  var timer = null;
  var sent = 0;
  var shown = 0;

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 250);
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  function preview() {
    var mine = ++sent;
    form.setAttribute("aria-busy", "true");
    window.fetch(address, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (mine === sent) { form.removeAttribute("aria-busy"); }
        if (!data || mine < shown) { return; }
        shown = mine;
        apply(data);
      })
      .catch(function () {
        if (mine === sent) { form.removeAttribute("aria-busy"); }
      });
  }

  function say(element, text) {
    if (element) { element.textContent = text === undefined || text === "" ? "—" : text; }
  }

  function apply(data) {
    form.querySelectorAll("[data-live]").forEach(function (element) {
      say(element, data[element.getAttribute("data-live")]);
    });
    var lines = data.lines || {};
    form.querySelectorAll("[data-line-score]").forEach(function (cell) {
      var line = lines[cell.getAttribute("data-line-score")] || {};
      say(cell, line.score);
    });
    form.querySelectorAll("[data-required]").forEach(function (tag) {
      var line = lines[tag.getAttribute("data-required")] || {};
      tag.hidden = !line.required;
    });
    form.querySelectorAll("[data-line-problem]").forEach(function (box) {
      var line = lines[box.getAttribute("data-line-problem")] || {};
      box.textContent = line.problem || "";
      box.hidden = !line.problem;
    });
    form.querySelectorAll("input.weight").forEach(function (input) {
      var key = input.id.replace(/^weight-/, "");
      var line = lines[key];
      if (line && line.weight) { input.placeholder = line.weight; }
    });
    var problems = document.getElementById("live-problems");
    if (problems) {
      var list = data.problems || [];
      problems.textContent = list.join("；");
      problems.hidden = list.length === 0;
    }
  }
})();
// 运行监控: a line certain to be met needs no deviation causes or 纠偏措施, so they fold away
// until another likelihood is chosen (a line with any of them given keeps them open). Without
// JavaScript they are always there.
(function () {
  "use strict";
  var table = document.getElementById("monitoring-lines");
  if (!table) { return; }

  function fold(select) {
    var row = select.closest("tr");
    var box = row ? row.querySelector(".cause-inputs") : null;
    if (!box) { return; }
    var note = box.querySelector("input.note");
    var measures = row.querySelector("td.measures textarea");
    var given = box.querySelector("input:checked") !== null ||
      (note && note.value.trim() !== "") || (measures && measures.value.trim() !== "");
    var folded = select.value === "CERTAIN" && !given;
    box.hidden = folded;
    if (measures) { measures.hidden = folded; }
    row.querySelectorAll(".causes-none").forEach(function (none) { none.hidden = !folded; });
  }

  table.querySelectorAll("select[name^='likelihood-']").forEach(function (select) {
    fold(select);
    select.addEventListener("change", function () { fold(select); });
  });
})();
