// Copy buttons give what a reader can paste into a terminal: the commands of a console or pycon
// block, without their prompts and without the output shown after them. Material's button copies
// the `data-copy` attribute of the block when it has one, so each block with prompts gets one.
// Python lines in a console block (after `python manage.py shell`) are kept too: pasted with the
// command, the shell it starts reads them.
(function () {
  "use strict";

  var PROMPT = "\u0000";
  var PYTHON_PROMPT = /^(>>>|\.\.\.)( |$)/;

  function commands(code) {
    var copy = code.cloneNode(true);
    var prompts = copy.querySelectorAll(".gp");
    if (prompts.length === 0) {
      return null;
    }
    prompts.forEach(function (prompt) {
      prompt.textContent = PROMPT;
    });
    var kept = [];
    copy.textContent.split("\n").forEach(function (line) {
      if (line.charAt(0) === PROMPT) {
        kept.push(line.slice(1));
      } else if (PYTHON_PROMPT.test(line)) {
        kept.push(line.replace(PYTHON_PROMPT, ""));
      }
    });
    return kept.join("\n");
  }

  function markBlocks() {
    document.querySelectorAll(".highlight pre > code").forEach(function (code) {
      var text = commands(code);
      if (text !== null) {
        code.parentElement.setAttribute("data-copy", text);
      }
    });
  }

  // Material republishes `document$` for each page it shows, also with instant navigation.
  if (typeof document$ !== "undefined") {
    document$.subscribe(markBlocks);
  } else {
    markBlocks();
  }
})();
