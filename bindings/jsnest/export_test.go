package jsnest

// Deep is deep for the tests outside the package (compile_test.go, which
// imports jsast, which imports jsnest).
var Deep = deep
