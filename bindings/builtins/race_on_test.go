//go:build race

package builtins

// raceSlowdown is how many times slower script runs under the race
// detector, as test262's time limit allows for.
const raceSlowdown = 3
