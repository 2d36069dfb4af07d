package main

import (
	"os"
	"runtime/debug"
	"sync"
	"time"
)

// Starting a runtime allocates a few megabytes, of which about one is still
// live once the script runs: collecting while the process starts up, with
// Go's default goal (GOGC=100 and a 4 MB minimum heap), is work a short
// script pays for twice or three times and gains nothing from. So the
// collector's goal is startupGCPercent until the runtime is made, then
// GOGC's default again (at the latest after startupWindow). A GOGC the user
// sets is left as it is.
//
// The goal goes back before the script runs, not after a fixed time: a
// script that allocates at once (the 1 MiB echo of make bench) ran 0.79x as
// fast while the raised goal lasted, the heap growing into fresh pages
// instead of reusing what the collector frees.
const (
	startupGCPercent = 400
	startupWindow    = time.Second
)

// relaxStartupGC raises the collector's goal for the start-up of the
// process, the first time it is called, and returns the function that puts
// it back (each call returns the same one, which does its work once).
var relaxStartupGC = sync.OnceValue(func() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	prev := debug.SetGCPercent(startupGCPercent)
	restore = sync.OnceFunc(func() { debug.SetGCPercent(prev) })
	time.AfterFunc(startupWindow, restore)
	return restore
})
