//go:build race

package subprocess

// raceEnabled: the race detector maps shadow memory far beyond MemoryLimit.
const raceEnabled = true
