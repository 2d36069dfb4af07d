//go:build race

package runtime

// raceSlowdown is how many times slower script runs under the race
// detector, as the hostile suite's deadline allows for: goja's interpreter
// loop is instrumented, and the cases that build structures 100,000 deep
// take 1.5 to 2.5 s under it where they take a few hundred milliseconds
// without it.
const raceSlowdown = 3
