// The runner's testharnessreport.js. It runs where a page loads
// /resources/testharnessreport.js (or right after /resources/testharness.js if
// the page does not), which is the hook testharness.js leaves to test systems.
//
// It configures the harness the way a runner that enforces its own timeouts
// does (explicit_timeout; the runner calls timeout() when time is up), hands
// every result to the runner, and stands in for the window's load event:
// testharness.js in a shell considers loading complete at its first microtask
// checkpoint, so the harness is told to wait (explicit_done) and done() is
// called from a task queued after the page's last script, unless the test
// itself asked to call done(). The generated page of a worker test defines no
// test of its own, so done() is not for it (it would be an error): the
// harness completes when the worker's tests have.
(function (host) {
  "use strict";
  var stringify = JSON.stringify;
  var queue = setTimeout;
  var harnessSetup = setup;
  var harnessDone = done;
  var harnessTimeout = timeout;
  var testCallsDone = false;

  // Names and messages go into JSON reports; lone surrogates are written as
  // "U+d800" the way wptrunner's wptreport formatter does.
  var lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  function text(v) {
    if (v === null || v === undefined) {
      return "";
    }
    return String(v).replace(lone, function (c) {
      return "U+" + c.charCodeAt(0).toString(16);
    });
  }

  if (host.title !== "") {
    // The page's <title> names tests that have no name of their own, as it
    // does in a browser; without a document testharness.js reads META_TITLE.
    globalThis.META_TITLE = host.title;
  }

  globalThis.setup = function setup(funcOrProperties, maybeProperties) {
    var properties = arguments.length === 2 ? maybeProperties :
      (typeof funcOrProperties === "function" ? null : funcOrProperties);
    if (properties && (properties.explicit_done || properties.single_test)) {
      testCallsDone = true;
    }
    return harnessSetup.apply(this, arguments);
  };

  harnessSetup({
    explicit_timeout: true,
    explicit_done: !host.remote,
    timeout_multiplier: host.timeoutMultiplier,
    output: false,
  });

  add_result_callback(function (test) {
    host.result(text(test.name), test.status, text(test.message));
  });

  add_completion_callback(function (tests, status) {
    var list = [];
    for (var i = 0; i < tests.length; i++) {
      list.push({ name: text(tests[i].name), status: tests[i].status, message: text(tests[i].message) });
    }
    host.complete(stringify({ status: status.status, message: text(status.message), tests: list }));
  });

  host.control = {
    // Called after the page's last script: the load event.
    loaded: function () {
      queue(function () {
        if (!testCallsDone && !host.remote) {
          harnessDone();
        }
      }, 0);
    },
    timeout: function () {
      harnessTimeout();
    },
  };
})(globalThis.__wsjsWPT);
