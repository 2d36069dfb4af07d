//go:build !unix

package main

import "io"

// raiseFileLimit does nothing off Unix, which has no RLIMIT_NOFILE to raise.
func raiseFileLimit(io.Writer) {}
