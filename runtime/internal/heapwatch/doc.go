// Package heapwatch bounds the Go heap while script runs, from outside the
// interpreter: goja joins strings (+, +=, template literals) in one Go call
// with no bound and no hook, so a script that doubles a string reaches
// gigabytes between two of its instructions, and the next copy is Go's
// fatal "out of memory". goja checks its interrupt flag before every
// instruction, so a flag set while a copy runs stops the script right
// after that copy.
//
// One watchdog goroutine serves the whole process. It runs only while some
// Guard is entered (a runtime runs a task), samples the size of the heap's
// objects every few milliseconds through runtime/metrics, and when that
// passes the smallest bound of the entered guards, confirms it (see
// sampler.over) before it trips the guards whose bound the heap exceeds.
// When no guard is entered it ends, within one sampling period, and
// nothing wakes up.
//
// The heap is the process's, not a runtime's: the guards tripped are those
// entered at that moment, whichever runtime allocated what.
package heapwatch
