package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/wsjs/wsjs/runtime"
)

// A store is the key-value store plugins import as "host:kv", shared by all
// of them:
//
//	get(key: string): string               "" for a missing key
//	set(key: string, value: string): void
//	incr(key: string, by = 1): number      by is a [EnforceRange] long long
//	load(key: string): Promise<string>     get, as a remote store answers
//
// In process, get, set and incr run on the calling plugin's loop goroutine
// and return at once; load runs on a goroutine of its own and returns a
// promise. Out of process every function returns a promise, since each call
// crosses the pipe: plugins that may run either way await them all.
type store struct {
	mu sync.Mutex
	m  map[string]string
}

func newStore() *store { return &store{m: map[string]string{}} }

// module returns the store for runtime.Options.Modules. incr converts its
// arguments as a web API would (runtime.IDLFunc): a missing key or a count
// that is not a safe integer is a TypeError, where goja's own conversion
// would take 0 or wrap around.
func (s *store) module() runtime.Module {
	return runtime.Module{
		"get":  s.get,
		"set":  s.set,
		"incr": runtime.IDLFunc("incr", s.incr, "key", "by,enforcerange,optional,default=1"),
		"load": runtime.AsyncFunc(s.load),
	}
}

// asyncModule returns the store for subprocess.Config.Modules, whose
// functions are all async.
func (s *store) asyncModule() map[string]runtime.AsyncFunc {
	return map[string]runtime.AsyncFunc{
		"get": s.load,
		"set": func(ctx context.Context, args []any) (any, error) {
			if len(args) < 2 {
				return nil, fmt.Errorf("set: a key and a value are required")
			}
			s.set(fmt.Sprint(args[0]), fmt.Sprint(args[1]))
			return nil, nil
		},
		"incr": func(ctx context.Context, args []any) (any, error) {
			by, ok := int64(1), len(args) > 0
			if len(args) > 1 {
				by, ok = args[1].(int64)
			}
			if !ok {
				return nil, fmt.Errorf("incr: a key and an integer are required")
			}
			return s.incr(fmt.Sprint(args[0]), by), nil
		},
		"load": s.load,
	}
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

// incr adds by to the integer stored at key (0 if missing or not an
// integer) and returns the sum.
func (s *store) incr(key string, by int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	fmt.Sscan(s.m[key], &n)
	n += by
	s.m[key] = fmt.Sprint(n)
	return n
}

// load is get as an async function: a stand-in for a store across the
// network. The plugin's loop stays alive while it is pending.
func (s *store) load(ctx context.Context, args []any) (any, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("load: a key is required")
	}
	return s.get(fmt.Sprint(args[0])), ctx.Err()
}
