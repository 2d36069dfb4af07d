package broadcast

import (
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/structuredclone"
)

// channel holds the internal slots of a BroadcastChannel
// (https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts):
// its channel name and closed flag, and the messages posted to it that its
// event loop has not delivered yet.
type channel struct {
	events.Target
	agent *agent
	obj   *goja.Object
	name  goja.String // the channel name
	topic topic
	seq   uint64 // creation order, set by join
	// deliver is ch.deliverNext, made once.
	deliver func()

	mu     sync.Mutex
	closed bool // the closed flag
	// queue holds the messages waiting for their task, charged to the
	// memory budget of the channel's realm; pending says, in order, what
	// each task delivers: a message of queue (true) or, for a message the
	// budget had no room for, a messageerror event (false).
	queue   structuredclone.Queue
	pending []bool
}

// post queues the task of step 9 of the postMessage steps
// (https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel-postmessage)
// for ch, from any goroutine: m, a copy of the message for ch, or nil if
// ch's budget had no room for one.
func (ch *channel) post(m *structuredclone.Serialized) {
	ch.mu.Lock()
	if ch.closed || ch.agent.ineligible.Load() {
		ch.mu.Unlock()
		if m != nil {
			m.Discard()
		}
		return
	}
	if m != nil {
		ch.queue.Push(m)
	}
	ch.pending = append(ch.pending, m != nil)
	ch.mu.Unlock()
	ch.agent.run(ch.deliver)
}

// next takes what the next task delivers: ok is false if there is nothing
// (the channel was closed since), m nil for a messageerror event.
func (ch *channel) next() (m *structuredclone.Serialized, ok bool) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if ch.closed || len(ch.pending) == 0 {
		return nil, false
	}
	isMessage := ch.pending[0]
	ch.pending = ch.pending[1:]
	if len(ch.pending) == 0 {
		ch.pending = nil
	}
	if isMessage {
		m = ch.queue.Pop()
	}
	return m, true
}

// deliverNext is the task of step 9 of the postMessage steps, run on the
// event loop of ch's realm.
func (ch *channel) deliverNext() {
	// 9.1. If destinationChannel's closed flag is true, then abort.
	m, ok := ch.next()
	if !ok {
		return
	}
	// 9.2. Let targetRealm be destinationChannel's relevant realm.
	r := ch.agent.realm
	origin := ch.topic.serializedOrigin()
	// 9.3. Let data be StructuredDeserialize(serialized, targetRealm); if
	// this throws, fire an event named messageerror at destinationChannel,
	// using MessageEvent, with the origin attribute initialized to the
	// serialization of sourceOrigin, and return.
	var data goja.Value
	if m == nil || r.VM().Try(func() { data = m.Deserialize(r, "postMessage") }) != nil {
		if ev, err := events.NewMessageEvent(r, "messageerror", events.MessageEventInit{Origin: origin}); err == nil {
			_, _ = events.Dispatch(r, ch.obj, ev)
		}
		return
	}
	// 9.4. Fire an event named message at destinationChannel, using
	// MessageEvent, with the data attribute initialized to data and the
	// origin attribute initialized to the serialization of sourceOrigin
	// (which is destinationChannel's origin, or the channels would not
	// share a topic).
	if ev, err := events.NewMessageEvent(r, "message", events.MessageEventInit{Data: data, Origin: origin}); err == nil {
		_, _ = events.Dispatch(r, ch.obj, ev)
	}
}

// close sets ch's closed flag and withdraws it. It may be called on any
// goroutine.
func (ch *channel) close() {
	ch.mu.Lock()
	closed := ch.closed
	ch.closed = true
	ch.mu.Unlock()
	if !closed {
		ch.withdraw()
	}
}

// withdraw takes ch out of the registry and of its agent's channels, and
// drops the messages it has not delivered: it hears nothing more.
func (ch *channel) withdraw() {
	leave(ch)
	ch.agent.forget(ch)
	ch.mu.Lock()
	ms := ch.queue.Take()
	ch.pending = nil
	ch.mu.Unlock()
	for _, m := range ms {
		m.Discard()
	}
}

// serializedOrigin is the serialization of the partition's origin.
func (p partition) serializedOrigin() string {
	if p.opaque != nil {
		return "null"
	}
	return p.origin
}
