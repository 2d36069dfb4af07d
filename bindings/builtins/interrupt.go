package builtins

import (
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja checks for an interrupt (a run's deadline, Close) only between script
// instructions: a built-in that loops in Go without calling script runs on
// past any deadline. The built-ins this package replaces for that reason call
// a script function that does nothing once every so many steps: entering it
// is where goja sees the interrupt, and the *goja.InterruptedError it returns
// is panicked on, so that it ends the run as it would have in script.

var noopProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:noop.js", "(function () {})", true)
})

// pollEvery is how many steps a loop takes between two checks.
const pollEvery = 1 << 10

// poller lets a loop in Go see the runtime's interrupt.
type poller struct {
	noop  goja.Callable
	steps int
}

func newPoller(vm *goja.Runtime) (*poller, error) {
	v, err := vm.RunProgram(noopProgram())
	if err != nil {
		return nil, err
	}
	f, _ := goja.AssertFunction(v)
	return &poller{noop: f}, nil
}

// step counts one step, and every pollEvery steps panics with the runtime's
// interrupt if there is one. A nil poller does nothing.
func (p *poller) step() {
	if p == nil {
		return
	}
	if p.steps++; p.steps < pollEvery {
		return
	}
	p.steps = 0
	if _, err := p.noop(goja.Undefined()); err != nil {
		panic(err)
	}
}

// interruptible replaces the built-ins that loop in Go without bound with
// ones that see the runtime's interrupt.
func interruptible(realm *webidl.Realm, poll *poller) error {
	a := newArrayLike(realm, poll)
	if err := interruptibleSearches(realm, a); err != nil {
		return err
	}
	if err := interruptibleArrays(realm, a); err != nil {
		return err
	}
	return interruptibleIterators(realm, poll)
}
