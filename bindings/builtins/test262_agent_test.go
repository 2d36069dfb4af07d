package builtins

import (
	"errors"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// test262Agents is $262.agent
// (https://github.com/tc39/test262/blob/main/INTERPRETING.md#host-defined-functions):
// each agent a goja runtime with the built-ins, as a worker's, on a goroutine
// of its own, receiving SharedArrayBuffers over the same memory as the main
// agent's, as structured clone hands them to a worker.
type test262Agents struct {
	h    *test262Harness
	opts Options

	done    chan struct{} // closed when the test is over
	mu      sync.Mutex
	started []*test262Agent
	reports []string
	vms     []*goja.Runtime
	wg      sync.WaitGroup
}

// test262Agent is one started agent; broadcasts reach it on its channel.
type test262Agent struct {
	broadcasts chan test262Broadcast
	received   chan struct{} // a broadcast was taken
	exited     chan struct{} // closed when the agent's script ends
}

type test262Broadcast struct {
	memory SharedMemory
	id     any // a Number or BigInt, exported, to be made again in the agent's runtime
}

var test262Start = time.Now()

// install defines $262.agent on vm: the main agent's when self is nil.
func (a *test262Agents) install(vm *goja.Runtime, self *test262Agent) {
	o := vm.NewObject()
	_ = o.Set("sleep", func(ms float64) { time.Sleep(time.Duration(ms * float64(time.Millisecond))) })
	_ = o.Set("monotonicNow", func() float64 { return float64(time.Since(test262Start).Milliseconds()) })
	if self == nil {
		_ = o.Set("start", a.start)
		_ = o.Set("broadcast", func(c goja.FunctionCall) goja.Value {
			sab, id := c.Argument(0), c.Argument(1)
			m, ok := SharedMemoryOf(sab)
			if !ok {
				panic(vm.NewTypeError("not a SharedArrayBuffer"))
			}
			b := test262Broadcast{memory: m, id: id.Export()}
			a.mu.Lock()
			agents := a.started
			a.mu.Unlock()
			// Each agent gets the broadcast and takes it, unless it ended
			// first or does not take it in time.
			for _, ag := range agents {
				select {
				case ag.broadcasts <- b:
				case <-ag.exited:
				}
			}
			for _, ag := range agents {
				select {
				case <-ag.received:
				case <-ag.exited:
				case <-time.After(test262FileLimit):
				}
			}
			return goja.Undefined()
		})
		_ = o.Set("getReport", func() goja.Value {
			a.mu.Lock()
			defer a.mu.Unlock()
			if len(a.reports) == 0 {
				return goja.Null()
			}
			r := a.reports[0]
			a.reports = a.reports[1:]
			return vm.ToValue(r)
		})
	} else {
		_ = o.Set("receiveBroadcast", func(cb goja.Callable) {
			var b test262Broadcast
			select {
			case b = <-self.broadcasts:
			case <-a.done:
				panic(vm.NewGoError(errors.New("test over")))
			}
			sab, err := NewSharedArrayBuffer(webidl.RealmOf(vm), b.memory)
			self.received <- struct{}{}
			if err != nil {
				panic(err)
			}
			if _, err := cb(goja.Undefined(), sab, vm.ToValue(b.id)); err != nil {
				panic(err)
			}
		})
		_ = o.Set("report", func(v goja.Value) {
			a.mu.Lock()
			a.reports = append(a.reports, v.String())
			a.mu.Unlock()
		})
		_ = o.Set("leaving", func() {})
	}
	g := vm.Get("$262").(*goja.Object)
	_ = g.Set("agent", o)
}

// start runs src in a new agent.
func (a *test262Agents) start(src string) {
	vm, err := newRuntimeIn(a.opts, bindings.DedicatedWorker)
	if err != nil {
		panic(err)
	}
	install262(vm)
	self := &test262Agent{broadcasts: make(chan test262Broadcast), received: make(chan struct{}, 1), exited: make(chan struct{})}
	a.install(vm, self)
	a.mu.Lock()
	a.started = append(a.started, self)
	a.vms = append(a.vms, vm)
	a.mu.Unlock()
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer close(self.exited)
		if _, err := vm.RunString(src); err != nil {
			a.mu.Lock()
			a.reports = append(a.reports, "agent error: "+err.Error())
			a.mu.Unlock()
		}
	}()
}

// stop interrupts the agents still running and waits for them.
func (a *test262Agents) stop() {
	close(a.done)
	a.mu.Lock()
	for _, vm := range a.vms {
		vm.Interrupt("test over")
	}
	a.mu.Unlock()
	a.wg.Wait()
}
