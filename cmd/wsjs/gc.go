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
// collector's goal is startupGCPercent for the first startupWindow of a run,
// then GOGC's default again. A GOGC the user sets is left as it is.
const (
	startupGCPercent = 400
	startupWindow    = time.Second
)

// relaxStartupGC raises the collector's goal for the start-up of the
// process, once.
var relaxStartupGC = sync.OnceFunc(func() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	prev := debug.SetGCPercent(startupGCPercent)
	time.AfterFunc(startupWindow, func() { debug.SetGCPercent(prev) })
})
