package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime"
)

// ErrOutOfProcess is returned for what the host can only do in process.
var ErrOutOfProcess = errors.New("not for a plugin served out of process")

// post fires a MessageEvent named message, whose data is data, at the global
// object of p's runtime, as a task of its event loop: plugins hear the host
// with addEventListener("message", ...). It returns once the listeners
// have run; their exceptions go to Options.OnError, as uncaught ones do.
func (p *plugin) post(ctx context.Context, data string) error {
	inst, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer inst.calls.Done()
	rt, ok := inst.eng.(*runtime.Runtime)
	if !ok {
		return fmt.Errorf("plugin %s: events: %w", p.name, ErrOutOfProcess)
	}
	// Do's function runs on the loop goroutine, between tasks; it must not
	// keep vm or its values. Do returns, whatever happens to the runtime:
	// ErrClosed if Close drops the task; if ctx ends first, ctx's error,
	// once script the function runs (a listener that loops) is interrupted.
	// Then the runtime is replaced, as after a call.
	err = rt.Do(ctx, func(vm *goja.Runtime) error {
		ev, err := vm.New(vm.Get("MessageEvent"), vm.ToValue("message"), vm.ToValue(map[string]any{"data": data}))
		if err != nil {
			return err
		}
		dispatch, ok := goja.AssertFunction(vm.Get("dispatchEvent"))
		if !ok { // the plugin replaced it
			return errors.New("dispatchEvent is not a function")
		}
		_, err = dispatch(vm.GlobalObject(), ev)
		return err
	})
	p.check(inst, err)
	return err
}
