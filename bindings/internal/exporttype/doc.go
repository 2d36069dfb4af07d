// Package exporttype names the Go types that goja's Object.ExportType reports
// for built-in objects. Together with an object's class name they tell which
// internal slots it has without running script, which the console and
// structured cloning need.
package exporttype
