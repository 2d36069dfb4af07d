//go:build !unix

package transport

import "io"

// Elsewhere (Windows, WebAssembly) a connection is read and written through
// its net.Conn only: the reader keeps its buffer, and every message goes
// through a writer goroutine.

func (l *lazyReader) useRawSocket(io.Reader) {}

func (c *Conn) useRawSocket(io.ReadWriteCloser) {}
