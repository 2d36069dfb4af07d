// Package results holds the outcome of a web-platform-tests run and what is
// done with it: the JSON report wpt.fyi ingests (wptrunner's
// --log-wptreport format), a per-group summary table, and expectation files
// that record, for every test URL and subtest, the status the implementation
// is known to produce and why it is not a pass, so that a run can tell
// regressions and unexpected passes from known failures and rewrite the file
// without losing the reasons written in it.
package results
