package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// An engine runs one test in one mode.
type engine struct {
	name string
	run  func(ctx context.Context, c *corpus, t *test, m mode) observation
	// canBlock is the [[CanBlock]] of the agent that runs tests
	// (https://tc39.es/ecma262/#sec-agents): false for wsjs, whose scripts
	// run on an event loop as a browser window's do (the agents that
	// $262.agent starts, its workers, may block).
	canBlock bool
}

// A result is the outcome of one test file in all the modes it runs in.
type result struct {
	path     string
	features []string
	skipped  string // why the file was not run; empty if it ran
	failure  string // why it failed, prefixed with the mode; empty if it passed
}

// run runs the files at paths with jobs goroutines; each mode of each file
// gets timeout. progress, if not nil, is called after each file.
func (e *engine) runAll(c *corpus, paths []string, jobs int, timeout time.Duration, progress func(result)) []result {
	results := make([]result, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range max(jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = e.runFile(c, paths[i], timeout)
				if progress != nil {
					mu.Lock()
					progress(results[i])
					mu.Unlock()
				}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func (e *engine) runFile(c *corpus, path string, timeout time.Duration) result {
	r := result{path: path}
	t, err := c.load(path)
	if err != nil {
		r.failure = err.Error()
		return r
	}
	r.features = t.meta.Features
	if t.meta.Has("CanBlockIsTrue") && !e.canBlock || t.meta.Has("CanBlockIsFalse") && e.canBlock {
		r.skipped = fmt.Sprintf("[[CanBlock]] is %v in %s", e.canBlock, e.name)
		return r
	}
	for _, m := range modes(t) {
		obs := e.runMode(c, t, m, timeout)
		if obs.Timeout {
			// On a loaded machine a test can miss its deadline: a second
			// chance keeps that from being taken for a hang.
			obs = e.runMode(c, t, m, timeout)
		}
		if why := judge(t, obs); why != "" {
			r.failure = string(m) + ": " + why
			return r
		}
	}
	return r
}

// runMode runs t in mode m with a deadline; a Go panic out of the engine
// is an observation of its own.
func (e *engine) runMode(c *corpus, t *test, m mode, timeout time.Duration) (obs observation) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			obs = observation{Panic: fmt.Sprintf("%v\n%s", p, debug.Stack())}
		}
	}()
	return e.run(ctx, c, t, m)
}
