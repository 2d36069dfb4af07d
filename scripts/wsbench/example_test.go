package main

import "fmt"

// Figures in the table have thousands separators, and one decimal below 100.
func Example_format() {
	fmt.Println(format(2978193), format(4342), format(2.25))
	// Output: 2,978,193 4,342 2.2
}
