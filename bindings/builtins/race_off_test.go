//go:build !race

package builtins

// raceSlowdown: see race_on_test.go.
const raceSlowdown = 1
