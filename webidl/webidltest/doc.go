// Package webidltest helps test interfaces built with webidl: it runs JavaScript in a
// goja runtime and checks what it yields, and describes property descriptors the way
// WebIDL's rules are stated. wsjs's own bindings test themselves with it.
package webidltest
