//go:build !unix

package transport

import "io"

// Elsewhere (Windows, WebAssembly) a connection is read and written through
// its net.Conn only: the reader keeps its buffer, and every message goes
// through a writer goroutine.

func (l *lazyReader) useRawSocket(io.Reader) {}

// writeFd is never called: no Conn has a raw socket to write.
func (c *Conn) writeFd(uintptr) bool { return true }

// readFd is never called: no lazyReader has a raw socket to read.
func (l *lazyReader) readFd(uintptr) bool { return true }
