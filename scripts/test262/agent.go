package main

import (
	"context"
	_ "embed"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime"
)

// $262.agent in wsjs: agent.js in the main realm, agent_worker.js before the
// script of each agent, a dedicated worker of the runtime.
var (
	//go:embed agent.js
	agentMain string
	//go:embed agent_worker.js
	agentWorker string

	agentProgram = sync.OnceValues(func() (*goja.Program, error) {
		return runtime.CompileClassic("agent.js", agentMain)
	})
)

// installAgent replaces the $262.agent of vm, the main realm of a wsjs
// runtime, by one whose agents are the runtime's dedicated workers. Where
// the main agent waits, the host sleeps, until ctx ends at the latest:
// the runtime then interrupts the script and closes the workers. The
// function returned is to be called once the harness files ran: it
// replaces those of their functions that would block the main agent.
func installAgent(ctx context.Context, vm *goja.Runtime) (harnessLoaded func() error, err error) {
	prg, err := agentProgram()
	if err != nil {
		return nil, err
	}
	v, err := vm.RunProgram(prg)
	if err != nil {
		return nil, err
	}
	f, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("agent.js is not a function")
	}
	v, err = f(goja.Undefined(), vm.Get("$262"), vm.ToValue(sleeper(ctx)), vm.ToValue(agentWorker))
	if err != nil {
		return nil, err
	}
	loaded, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("agent.js did not return a function")
	}
	return func() error {
		_, err := loaded(goja.Undefined())
		return err
	}, nil
}

// sleeper returns a function that sleeps for a number of milliseconds, or
// until ctx ends.
func sleeper(ctx context.Context) func(ms float64) {
	return func(ms float64) {
		if !(ms > 0) {
			return
		}
		d := time.Duration(math.Min(ms, float64(math.MaxInt64/time.Millisecond)) * float64(time.Millisecond))
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}
