//go:build !linux

package idlepoll

import "syscall"

// Supported reports whether Park can take sockets on this system.
const Supported = false

// Park declines: the caller keeps waiting for its socket itself.
func (w *Waiter) Park(syscall.RawConn) bool { return false }

// forget has nothing to forget where nothing is parked.
func forget(uint32) *Waiter { return nil }
