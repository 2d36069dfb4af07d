package broadcast

import (
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// Options configure the binding (see bindings.Configure). The zero value
// lets the channels of every runtime of the process with the same origin
// hear each other.
type Options struct {
	// Partition, if not empty, limits delivery to the realms configured
	// with the same Partition: runtimes of one origin that are to share
	// nothing (tests run side by side, say) each get their own.
	Partition string
}

// Binding installs BroadcastChannel.
var Binding = &bindings.Binding{
	Name:     "broadcast",
	Needs:    []*bindings.Binding{events.Binding, structuredclone.Binding},
	Register: Register,
}

// agentKey finds a realm's agent with webidl.Realm.Data; shutDownKey marks
// a realm that Shutdown found without one.
type (
	agentKey    struct{}
	shutDownKey struct{}
)

// agent is the per-realm state: how to reach the realm's event loop, the
// budget the messages waiting for it are charged to, and its open
// channels, for Shutdown.
type agent struct {
	realm   *webidl.Realm
	queue   func(func()) bool
	budget  *bindings.Budget
	cluster *bindings.Cluster
	label   string

	// ineligible is set once the realm's channels are no longer eligible
	// for messaging
	// (https://html.spec.whatwg.org/multipage/web-messaging.html#eligible-for-messaging).
	ineligible atomic.Bool

	mu       sync.Mutex
	channels map[*channel]struct{}
}

// run queues task on the agent's event loop.
func (a *agent) run(task func()) {
	if a.queue != nil {
		a.queue(task)
	}
}

// forget drops ch from the agent's open channels.
func (a *agent) forget(ch *channel) {
	a.mu.Lock()
	delete(a.channels, ch)
	a.mu.Unlock()
}

// partition returns the partition of a channel created now: the origin of
// the realm's API base URL, its settings object's origin.
func (a *agent) partition() partition {
	p := partition{label: a.label}
	if rec, err := urlbinding.Parse(a.realm.APIBaseURL(), ""); err == nil && rec.Origin != "null" {
		p.origin = rec.Origin
	} else {
		p.opaque = a.cluster
	}
	return p
}

// Register defines BroadcastChannel in env.Realm, which must have the
// events and structured clone bindings installed. Messages are delivered in
// tasks queued with env.Queue(), from whichever goroutine posts them; they
// wait charged to env's memory budget.
func Register(env *bindings.Env) error {
	r := env.Realm
	a := &agent{
		realm: r, queue: env.Queue(), budget: env.Memory(), cluster: env.Cluster,
		label: bindings.Config[Options](env).Partition, channels: make(map[*channel]struct{}),
	}
	if a.cluster == nil {
		// An opaque origin of the realm's own.
		a.cluster = new(bindings.Cluster)
	}
	// A realm shut down before the binding was installed (bindings.Defer)
	// makes channels that are not eligible for messaging.
	a.ineligible.Store(r.Data(shutDownKey{}) != nil)
	r.SetData(agentKey{}, a)
	return r.DefineInterface(&webidl.Interface{
		Name:        "BroadcastChannel",
		Parent:      "EventTarget",
		Length:      1,
		Constructor: a.construct,
		Attributes: []webidl.Attribute{
			{Name: "name", Get: func(c webidl.Call) goja.Value {
				// The name getter steps return this's channel name.
				return c.Impl.(*channel).name
			}},
			events.HandlerAttribute("onmessage"),
			events.HandlerAttribute("onmessageerror"),
		},
		Operations: []webidl.Operation{
			{Name: "postMessage", Length: 1, Func: postMessage},
			{Name: "close", Func: func(c webidl.Call) goja.Value {
				// The close() method steps are to set this's closed flag
				// to true.
				c.Impl.(*channel).close()
				return goja.Undefined()
			}},
		},
	})
}

// construct runs the new BroadcastChannel(name) constructor steps
// (https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel):
// this's channel name is name.
func (a *agent) construct(c webidl.Call) any {
	name := c.Realm.ToDOMString(c.Args[0])
	ch := &channel{agent: a, obj: c.This, name: name, topic: topic{partition: a.partition(), name: codeUnits(name)}}
	ch.deliver = ch.deliverNext
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ineligible.Load() {
		// A channel of a realm that is going away hears nothing.
		return ch
	}
	a.channels[ch] = struct{}{}
	join(ch)
	return ch
}

// postMessage runs the postMessage(message) method steps
// (https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel-postmessage).
func postMessage(c webidl.Call) goja.Value {
	c.RequireArgs("postMessage", 1)
	ch := c.Impl.(*channel)
	// 1. If this is not eligible for messaging, then return.
	if ch.agent.ineligible.Load() {
		return goja.Undefined()
	}
	// 2. If this's closed flag is true, then throw an "InvalidStateError"
	// DOMException.
	ch.mu.Lock()
	closed := ch.closed
	ch.mu.Unlock()
	if closed {
		c.Realm.ThrowDOMException("InvalidStateError", "Failed to execute 'postMessage' on 'BroadcastChannel': Channel is closed")
	}
	// 3. Let serialized be ? StructuredSerialize(message).
	m := structuredclone.Serialize(c.Realm, c.Args[0], nil, "postMessage")
	// 4-8. sourceOrigin and its storage key are this's topic; destinations
	// are the other open channels of the topic, in creation order.
	dests := destinations(ch.topic, ch)
	// 9. For each destinationChannel, queue a task that delivers a
	// deserialization of serialized: each gets a copy charged to its own
	// realm's budget, the last one of the sender's budget the original.
	last := -1
	for i, d := range dests {
		if d.agent.budget == ch.agent.budget {
			last = i
		}
	}
	for i, d := range dests {
		if i == last {
			d.post(m)
			continue
		}
		cp, ok := m.Copy(d.agent.budget)
		if !ok {
			cp = nil
		}
		d.post(cp)
	}
	if last < 0 {
		m.Discard()
	}
	return goja.Undefined()
}

// Shutdown makes the BroadcastChannels of r's realm no longer eligible for
// messaging
// (https://html.spec.whatwg.org/multipage/web-messaging.html#eligible-for-messaging),
// as when a worker's closing flag is set or the global object goes away:
// they leave the registry, the messages waiting for them are dropped, their
// postMessage does nothing, and channels created later hear nothing, even
// if the binding is installed only then (bindings.Defer). It may be called
// more than once, on the realm's goroutine or while the realm runs nothing.
func Shutdown(r *webidl.Realm) {
	a, ok := r.Data(agentKey{}).(*agent)
	if !ok {
		// Not installed yet: Register finds the mark.
		r.SetData(shutDownKey{}, true)
		return
	}
	a.mu.Lock()
	a.ineligible.Store(true)
	chs := make([]*channel, 0, len(a.channels))
	for ch := range a.channels {
		chs = append(chs, ch)
	}
	a.mu.Unlock()
	for _, ch := range chs {
		ch.withdraw()
	}
}

// codeUnits is s's code units as a Go string, a map key that keeps lone
// surrogates apart, which a UTF-8 conversion would not.
func codeUnits(s goja.String) string {
	n := s.Length()
	b := make([]byte, 0, 2*n)
	for i := range n {
		u := s.CharAt(i)
		b = append(b, byte(u>>8), byte(u))
	}
	return string(b)
}
