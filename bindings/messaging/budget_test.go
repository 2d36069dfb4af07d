package messaging

import (
	"testing"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// flood posts 64 KiB strings at port2 of a channel, which does not read
// them, until the memory budget refuses one.
const flood = `
var ch = new MessageChannel(), sent = 0, received = 0;
try { for (;;) { ch.port1.postMessage("x".repeat(2**16)); sent++ } }
catch (e) { log(e.name + ": " + e.message) }
`

// The messages waiting in a port message queue are charged to the memory
// budget (1 MiB) until they are delivered, or dropped with their port.
func TestMessageQueueBudget(t *testing.T) {
	cases := []struct {
		name  string
		after string       // script run after the flood
		end   func(e *env) // then, on the Go side
		log   []string     // what the script logs after the flood
	}{
		{name: "delivered", after: `ch.port2.onmessage = () => { if (++received === sent) log("all " + (sent > 8)) }`,
			log: []string{"all true"}},
		{name: "channel dropped", after: `ch = null`},
		{name: "receiving port closed and dropped", after: `ch.port2.close(); ch = null`},
		{name: "realm shut down", end: func(e *env) { Shutdown(e.realm) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			budget := bindings.NewBudget(1 << 20)
			e := newEnvWith(t, budget)
			e.run(t, flood)
			if used := budget.Used(); used < 1<<20-1<<16-1024 {
				t.Errorf("budget used %d bytes after the flood", used)
			}
			if c.after != "" {
				e.run(t, c.after)
			}
			if c.end != nil {
				c.end(e)
			}
			e.Want(t, append([]string{"DataCloneError: Failed to execute 'postMessage': Data cannot be cloned, out of memory."}, c.log...)...)
			jstest.WaitUsed(t, budget, 0)
		})
	}
}
