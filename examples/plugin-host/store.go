package main

import (
	"sync"

	"github.com/wsjs/wsjs/runtime"
)

// A store is the key-value store plugins import as "host:kv", shared by all
// of them; its functions run on the calling plugin's loop goroutine.
type store struct {
	mu sync.Mutex
	m  map[string]string
}

func newStore() *store { return &store{m: map[string]string{}} }

// module returns the store as a module for runtime.Options.Modules:
// get(key) returns "" for a missing key; set(key, value).
func (s *store) module() runtime.Module {
	return runtime.Module{"get": s.get, "set": s.set}
}

func (s *store) get(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key]
}

func (s *store) set(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
}
