//go:build race

package main

// raceEnabled: the race detector multiplies what the heap holds, and a
// child process's memory.
const raceEnabled = true
