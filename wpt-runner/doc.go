// Command wpt-runner runs web-platform-tests testharness.js tests against
// wsjs: it finds the tests under the given paths of a WPT checkout, expands
// them into test URLs (globals and variants) as WPT's manifest does, serves
// the checkout with the built-in Go stand-in for "wpt serve" (or uses a
// server the user runs), runs each test URL in a fresh runtime whose base URL
// is the test URL, collects testharness.js results through its own
// testharnessreport.js, enforces timeouts, prints a summary, writes the JSON
// report wpt.fyi reads, and compares the results with recorded expectations.
// See README.md for the flags.
package main
