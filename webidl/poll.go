package webidl

import (
	"sync"

	"github.com/dop251/goja"
)

// goja checks for an interrupt (a run's deadline, Close) only between script
// instructions: an operation or built-in that loops in Go without calling
// script runs on past any deadline. Such a loop counts its steps on the
// realm's Poller, which every so many steps calls a script function that
// does nothing: entering it is where goja sees the interrupt, and the
// *goja.InterruptedError it returns is panicked on, so that it ends the run
// as it would have in script.

var noopProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:noop.js", "(function () {})", true)
})

// pollEvery is how many steps a loop takes between two checks.
const pollEvery = 1 << 10

// A Poller lets a loop in Go see the runtime's interrupt. A nil Poller
// does nothing.
type Poller struct {
	noop  goja.Callable
	steps int
}

type pollerKey struct{}

// Poller returns the realm's Poller, made on first use, on the realm's
// goroutine.
func (r *Realm) Poller() *Poller {
	if p, ok := r.Data(pollerKey{}).(*Poller); ok {
		return p
	}
	v, err := r.vm.RunProgram(noopProgram())
	if err != nil {
		panic(err) // an interrupt already: it ends the run
	}
	f, _ := goja.AssertFunction(v)
	p := &Poller{noop: f}
	r.SetData(pollerKey{}, p)
	return p
}

// Step counts one step, and every pollEvery steps panics with the runtime's
// interrupt if there is one.
func (p *Poller) Step() {
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

// Interrupted returns the runtime's interrupt, a *goja.InterruptedError,
// if there is one now.
func (p *Poller) Interrupted() error {
	_, err := p.noop(goja.Undefined())
	return err
}
