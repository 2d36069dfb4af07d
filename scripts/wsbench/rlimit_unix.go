//go:build unix

package main

import (
	"fmt"
	"io"
	"syscall"
)

// raiseFileLimit lifts the soft limit on open files to the hard one, for the server
// and, inherited, the clients: the idle scenario holds 10,000 sockets on each side.
func raiseFileLimit(stderr io.Writer) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fmt.Fprintln(stderr, "cannot raise the open file limit:", err)
	}
	if lim.Cur < 10200 {
		fmt.Fprintf(stderr, "the open file limit is %d: the idle scenario needs over 10,000\n", lim.Cur)
	}
}
