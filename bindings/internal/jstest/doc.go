// Package jstest builds what the bindings' tests run scripts in: a realm on
// an event loop (New) or without one (NewRealm, NewBudgetedRealm), a log that
// scripts write lines to (Log), a record of what a loop reports (Reported),
// ways to run a script and wait for its outcome (Script, Outcome), and the
// wait for a memory budget's use (WaitUsed). It is imported only by tests.
package jstest
