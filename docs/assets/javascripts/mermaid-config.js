// Diagrams keep the size Mermaid draws them at, so their text stays readable on a phone; the
// page scrolls a wide diagram sideways instead (assets/stylesheets/diagrams.css). Material calls
// mermaid.initialize itself, with its own options, once it finds a diagram: its call is extended
// here, before it happens, rather than replaced.
(function () {
  "use strict";

  var initialize = mermaid.initialize.bind(mermaid);
  var natural = { useMaxWidth: false };
  mermaid.initialize = function (config) {
    var ours = Object.assign({}, config);
    ["flowchart", "sequence", "timeline"].forEach(function (kind) {
      ours[kind] = Object.assign({}, config && config[kind], natural);
    });
    return initialize(ours);
  };
})();
