// Package testutils is the binding of the TestUtils namespace of the Test
// Utils standard (https://testutils.spec.whatwg.org/): gc(), which test
// suites such as web-platform-tests call to have unreachable objects
// collected, so that what the platform does for a collected object (a
// MessagePort's peer getting its close event, a FinalizationRegistry's
// callbacks) can be tested. It is for hosts that run tests: the runtime
// installs it only when asked to (runtime.Options.TestUtils).
package testutils
