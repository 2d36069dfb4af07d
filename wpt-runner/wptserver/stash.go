package wptserver

import (
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
)

// stash is wptserve's shared key-value store: write-once, read-once values
// keyed by (path, UUID), shared by the HTTP helpers and WebSocket handlers.
type stash struct {
	mu      sync.Mutex
	data    map[stashKey]any
	changed chan struct{} // closed and replaced on every put
}

type stashKey struct {
	path string
	id   [16]byte
}

func newStash() *stash {
	return &stash{data: map[stashKey]any{}, changed: make(chan struct{})}
}

// parseUUID accepts the spellings Python's uuid.UUID accepts: 32 hex digits,
// optionally hyphenated, optionally in braces or after "urn:uuid:".
func parseUUID(s string) ([16]byte, error) {
	var id [16]byte
	h := strings.ReplaceAll(s, "urn:", "")
	h = strings.ReplaceAll(h, "uuid:", "")
	h = strings.Trim(h, "{}")
	h = strings.ReplaceAll(h, "-", "")
	if len(h) != 32 {
		return id, fmt.Errorf("invalid UUID %q used as stash key", s)
	}
	if _, err := hex.Decode(id[:], []byte(h)); err != nil {
		return id, fmt.Errorf("invalid UUID %q used as stash key", s)
	}
	return id, nil
}

// put stores value under (path, key); like wptserve it refuses to overwrite
// a value or to store nil.
func (s *stash) put(path, key string, value any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putLocked(path, key, value)
}

func (s *stash) putLocked(path, key string, value any) error {
	if value == nil {
		return fmt.Errorf("stash value may not be None")
	}
	id, err := parseUUID(key)
	if err != nil {
		return err
	}
	k := stashKey{path, id}
	if _, ok := s.data[k]; ok {
		return fmt.Errorf("tried to overwrite existing stash value for key %s", key)
	}
	s.data[k] = value
	close(s.changed)
	s.changed = make(chan struct{})
	return nil
}

// take removes and returns the value under (path, key), nil if none.
func (s *stash) take(path, key string) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.takeLocked(path, key)
}

func (s *stash) takeLocked(path, key string) (any, error) {
	id, err := parseUUID(key)
	if err != nil {
		return nil, err
	}
	k := stashKey{path, id}
	v := s.data[k]
	delete(s.data, k)
	return v, nil
}
