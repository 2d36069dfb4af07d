//go:build !race

package runtime

// raceSlowdown: see race_on_test.go.
const raceSlowdown = 1
