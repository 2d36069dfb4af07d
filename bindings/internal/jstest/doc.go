// Package jstest builds what the bindings' tests run scripts in: a realm on
// an event loop (New), a log that scripts write lines to (Log), and ways to
// run a script on the loop and wait for its outcome (Script). It is imported
// only by tests.
package jstest
