// Package performance installs the Performance interface of the W3C High
// Resolution Time specification
// (https://w3c.github.io/hr-time/#sec-performance,
// https://w3c.github.io/hr-time/#the-performance-attribute) on a goja
// runtime: the global performance object, an EventTarget, with now(), a
// monotonic clock in milliseconds with microsecond-level precision measured
// from the realm's time origin, timeOrigin, and toJSON().
package performance
