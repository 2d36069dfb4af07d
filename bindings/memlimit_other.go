//go:build !linux

package bindings

import "sync"

// processMemory is ProcessMemory: not known on this platform, which
// leaves the bound to each runtime's limit.
var processMemory = sync.OnceValue(func() int64 { return 0 })
