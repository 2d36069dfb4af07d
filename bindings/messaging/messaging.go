package messaging

import (
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/webidl"
)

// The model.
//
// A MessagePort object is a view, in one realm, of an end: the Go state of
// one side of a channel, which the standard keeps in the port itself. An end
// holds the port message queue (the messages not yet delivered, and whether
// the queue is enabled) and the end it is entangled with. Transferring a port
// moves its end: the transfer steps detach the old object from it, the
// transfer-receiving steps give it to a new object in the receiving realm.
// So the messages queued at a port go where it goes, and its peer stays
// entangled with it, as the transfer-receiving steps require
// (https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports).
//
// Delivery. A message posted to an end is appended to its queue; while the
// queue is enabled, one task per message is queued on the event loop of the
// realm that holds the end, through the Env's Queue, from whichever goroutine
// posted. A task delivers the first message in the queue if the end is still
// held by the port the task was queued for; a task for a port that was
// shipped meanwhile does nothing, and the new port queues its own tasks when
// its queue is enabled. The close event that a port of another realm causes
// takes its place in the queue too, behind the messages posted before it
// (see disentangle).
//
// Lifetime. A port whose port message queue is enabled (by start() or
// onmessage) is kept alive by the end it is entangled with, as if its peer
// held it (https://html.spec.whatwg.org/multipage/web-messaging.html#ports-and-garbage-collection):
// its listeners hear every message its peer can still send. Any other port
// is held weakly by its end: one that nothing else reaches is collected, and
// then disentangled, as the standard requires of a collected port, so that
// its peer gets a close event and the messages waiting at it are dropped.
// A channel nobody can reach is collected whole. Ports hold nothing of the
// event loop: a message in flight is a task in the receiver's loop, and an end
// that waits for messages keeps no loop running, since no message can come once
// every loop that could send one is out of work. Node.js and Deno differ here:
// a port with a message listener keeps their process running until it is
// closed.
//
// Memory. A message waiting in a port message queue is charged to the memory
// budget of the cluster (structuredclone.Serialized): a port nobody reads
// makes postMessage throw once the budget is full. The charge is given back
// when the message is delivered, or dropped with its end: by Shutdown, when
// the end is discarded, or when the garbage collector takes the end.

// agentKey finds a realm's agent with webidl.Realm.Data.
type agentKey struct{}

// agent is the per-realm state: how to reach the realm's event loop, and the
// ends its ports hold, weakly, for Shutdown.
type agent struct {
	realm *webidl.Realm
	queue func(func()) bool

	mu     sync.Mutex
	ends   []weak.Pointer[end]
	pruned int // len(ends) after the last pruning
	closed bool
}

// track remembers e as an end of a port of this realm.
func (a *agent) track(e *end) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.ends) >= 2*a.pruned+16 {
		live := a.ends[:0]
		for _, w := range a.ends {
			if w.Value() != nil {
				live = append(live, w)
			}
		}
		clear(a.ends[len(live):])
		a.ends = live
		a.pruned = len(live)
	}
	a.ends = append(a.ends, weak.Make(e))
}

// run queues task on the agent's event loop.
func (a *agent) run(task func()) bool {
	if a.queue == nil {
		return false
	}
	return a.queue(task)
}

// end is one side of a channel.
type end struct {
	mu sync.Mutex
	// owner is the port holding this end, zero while it is shipped; keep
	// is the same port while its queue is enabled and the end entangled,
	// which keeps it alive (see Lifetime).
	owner   weak.Pointer[port]
	keep    *port
	enabled bool // the port message queue is enabled
	// queue holds the messages not yet delivered; those it holds when the
	// end is collected are given back to the memory budget then.
	queue structuredclone.Queue
	// closing is set when the entangled end was disentangled from another
	// realm: the owner's close event is due after the messages in queue.
	closing bool

	remote atomic.Pointer[end] // the entangled end, or nil
}

// entangleMu serializes entangling and disentangling, which change two ends.
var entangleMu sync.Mutex

// entangle entangles two new ends (HTML "entangle",
// https://html.spec.whatwg.org/multipage/web-messaging.html#entangle: neither
// is entangled yet, so nothing is disentangled first).
func entangle(a, b *end) {
	entangleMu.Lock()
	a.remote.Store(b)
	b.remote.Store(a)
	entangleMu.Unlock()
}

// disentangle runs HTML's "disentangle"
// (https://html.spec.whatwg.org/multipage/web-messaging.html#disentangle)
// for the initiator end: the two ends are no longer entangled, and the other
// port gets a close event. from is the agent running the steps, or nil if
// none does (a realm going away, a message dropped): the event is fired at
// once when the other port is in from's realm, else by a task in its own,
// after the messages already in its port message queue.
func disentangle(initiator *end, from *agent) {
	// 1-2. Let otherPort be the port initiatorPort was entangled with.
	entangleMu.Lock()
	other := initiator.remote.Load()
	if other == nil {
		entangleMu.Unlock()
		return
	}
	// 3. Disentangle the two ports. Neither can hear its peer any more:
	// neither keeps the other alive.
	initiator.remote.Store(nil)
	other.remote.Store(nil)
	entangleMu.Unlock()
	initiator.mu.Lock()
	initiator.keep = nil
	initiator.mu.Unlock()
	// 4. Fire an event named close at otherPort. A port being shipped, or
	// collected, has no object to fire it at.
	other.mu.Lock()
	other.keep = nil
	p := other.owner.Value()
	if p == nil {
		other.mu.Unlock()
		return
	}
	if p.agent == from {
		other.mu.Unlock()
		p.fireClose()
		return
	}
	// Steps run by another agent, or by none, fire the event by a task on
	// otherPort's event loop, which must not overtake the tasks already in
	// otherPort's port message queue, a task source whose tasks run in the
	// order they were added (https://html.spec.whatwg.org/multipage/web-messaging.html#port-message-queue):
	// those that deliver the messages posted before the ports were
	// disentangled (https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps,
	// step 7). So the task joins the queue behind them, and only they hold
	// it back: with no message waiting, it is queued at once, whether or
	// not the queue is enabled, as the standard fires the event at once;
	// behind messages waiting in a disabled queue, it is queued after
	// theirs when start() or onmessage enables the queue.
	other.closing = true
	queue := other.enabled || other.queue.Len() == 0
	other.mu.Unlock()
	if queue {
		p.agent.run(p.deliver)
	}
}

// post adds the task that delivers m to the end's port message queue (step 7
// of HTML's "message port post message steps",
// https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps).
func (e *end) post(m *structuredclone.Serialized) {
	e.mu.Lock()
	e.queue.Push(m)
	p, enabled := e.owner.Value(), e.enabled
	e.mu.Unlock()
	if p != nil && enabled {
		p.agent.run(p.deliver)
	}
}

// next takes what comes next in p's port message queue: the first
// undelivered message, if the queue is enabled, or, once no message is left
// before it, the close event that disentangle left in the queue
// (closeEvent is then true). It returns neither if p no longer holds the end.
func (e *end) next(p *port) (m *structuredclone.Serialized, closeEvent bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.owner.Value() != p {
		return nil, false
	}
	if e.queue.Len() == 0 {
		closeEvent, e.closing = e.closing, false
		return nil, closeEvent
	}
	if !e.enabled {
		return nil, false
	}
	return e.queue.Pop(), false
}

// discard drops an end nobody will hold again: it is disentangled, its peer
// told with a close event if notify is set, and the messages queued at it
// are dropped with whatever they transfer.
func (e *end) discard(notify bool) {
	if notify {
		disentangle(e, nil)
	} else {
		entangleMu.Lock()
		if other := e.remote.Load(); other != nil {
			other.remote.Store(nil)
			e.remote.Store(nil)
		}
		entangleMu.Unlock()
	}
	e.mu.Lock()
	q := e.queue.Take()
	e.mu.Unlock()
	for _, m := range q {
		m.Discard()
	}
}

// port holds the internal slots of a MessagePort
// (https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports).
type port struct {
	events.Target
	agent *agent
	obj   *goja.Object
	end   *end
	// detached is the [[Detached]] internal slot: set by close() and by
	// the transfer steps.
	detached bool
	// shipped is the has been shipped flag.
	shipped bool
	// deliver is p.deliverNext, made once.
	deliver func()
}

// holds reports whether p holds its end: it was not shipped since.
func (p *port) holds() bool {
	p.end.mu.Lock()
	defer p.end.mu.Unlock()
	return p.end.owner.Value() == p
}

// hold makes p the port holding e, with its port message queue disabled.
// If the garbage collector takes p while it still holds e, e is discarded.
func (p *port) hold(e *end) {
	p.end = e
	p.deliver = p.deliverNext
	w := weak.Make(p)
	e.mu.Lock()
	e.owner, e.keep, e.enabled = w, nil, false
	e.mu.Unlock()
	p.agent.track(e)
	// The cleanup refers to e weakly: e may lead back to p (keep).
	runtime.AddCleanup(p, func(h held) {
		if e := h.end.Value(); e != nil {
			e.collected(h.port)
		}
	}, held{weak.Make(e), w})
}

// held is what the cleanup of a port knows of it: the end it held, and itself.
type held struct {
	end  weak.Pointer[end]
	port weak.Pointer[port]
}

// collected discards e if its owner was the port w points to, which the
// garbage collector took (or is to take: it is not reachable), disentangling
// it as HTML does with a port that is collected
// (https://html.spec.whatwg.org/multipage/web-messaging.html#ports-and-garbage-collection).
// Its peer gets a close event. It may run on any goroutine.
func (e *end) collected(w weak.Pointer[port]) {
	e.mu.Lock()
	mine := e.owner == w
	if mine {
		e.owner = weak.Pointer[port]{}
	}
	e.mu.Unlock()
	if mine {
		e.discard(true)
	}
}

// dead reports whether the port holding e was collected.
func (e *end) dead() (w weak.Pointer[port], ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.owner, e.owner != weak.Pointer[port]{} && e.owner.Value() == nil
}

// enable enables p's port message queue, if it is not already enabled: a
// task is queued for each message waiting in it, and one for the close
// event waiting behind them.
func (p *port) enable() {
	e := p.end
	e.mu.Lock()
	if e.owner.Value() != p || e.enabled {
		e.mu.Unlock()
		return
	}
	e.enabled = true
	if e.remote.Load() != nil {
		e.keep = p
	}
	n := e.queue.Len()
	if e.closing {
		n++
	}
	e.mu.Unlock()
	for range n {
		if !p.agent.run(p.deliver) {
			return
		}
	}
}

// deliverNext is the task of step 7 of the message port post message steps
// (https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps),
// run on the event loop of p's realm, or the one that fires the close event
// disentangle left in p's port message queue.
func (p *port) deliverNext() {
	// 7.1. finalTargetPort is the port in whose port message queue the task
	// now finds itself: p, if p still holds the end.
	m, closeEvent := p.end.next(p)
	if closeEvent {
		p.fireClose()
		return
	}
	if m == nil {
		return
	}
	// 7.2. targetRealm is finalTargetPort's relevant realm.
	r := p.agent.realm
	Deliver(r, p.obj, m, events.MessageEventInit{})
}

// Deliver runs steps 7.3 to 7.6 of the message port post message steps
// (https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps)
// in r, on its event loop: m is deserialized, with the ports it transfers, and
// a MessageEvent named message is fired at target, whose ports attribute holds
// the MessagePort objects transferred, in order; if m cannot be deserialized,
// one named messageerror is. init gives the events' other attributes, such
// as origin and source. The implicit ports of dedicated workers and
// Window's postMessage deliver their messages with it too.
func Deliver(r *webidl.Realm, target *goja.Object, m *structuredclone.Serialized, init events.MessageEventInit) {
	vm := r.VM()
	// 7.3. deserializeRecord is StructuredDeserializeWithTransfer(
	// serializeWithTransferResult, targetRealm); if this throws, fire an
	// event named messageerror at finalTargetPort and return.
	var data goja.Value
	var transferred []*goja.Object
	if exc := vm.Try(func() { data, transferred = m.DeserializeWithTransfer(r, "postMessage") }); exc != nil {
		if ev, err := events.NewMessageEvent(r, "messageerror", init); err == nil {
			_, _ = events.Dispatch(r, target, ev)
		}
		return
	}
	// 7.4-5. messageClone, and newPorts: the MessagePort objects of
	// deserializeRecord.[[TransferredValues]], in order.
	var ports []*goja.Object
	for _, o := range transferred {
		if r.Implements(o, "MessagePort") {
			ports = append(ports, o)
		}
	}
	// 7.6. Fire an event named message at finalTargetPort.
	init.Data, init.Ports = data, ports
	if ev, err := events.NewMessageEvent(r, "message", init); err == nil {
		_, _ = events.Dispatch(r, target, ev)
	}
}

// fireClose fires an event named close at p, on its realm's loop.
func (p *port) fireClose() {
	_, _ = events.Fire(p.agent.realm, p.obj, "close")
}

// agentOf returns the agent Register stored in r.
func agentOf(r *webidl.Realm) (*agent, error) {
	if _, ok := r.Data(agentKey{}).(*agent); !ok {
		// Workers deliver messages through this package without needing
		// the binding.
		if err := bindings.Require(r, Binding); err != nil {
			return nil, err
		}
	}
	a, ok := r.Data(agentKey{}).(*agent)
	if !ok {
		return nil, errors.New("messaging: Register has not run in this realm")
	}
	return a, nil
}

// newPort creates a MessagePort in a's realm holding e.
func newPort(a *agent, e *end) *port {
	p := &port{agent: a}
	p.obj = a.realm.New("MessagePort", p)
	p.hold(e)
	return p
}

// Binding installs MessageChannel and MessagePort.
var Binding = &bindings.Binding{
	Name:     "messaging",
	Needs:    []*bindings.Binding{events.Binding, structuredclone.Binding},
	Register: Register,
}

// Register defines MessageChannel and MessagePort
// (https://html.spec.whatwg.org/multipage/web-messaging.html#message-channels,
// https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports) in
// env.Realm, which must have the events and structured clone bindings
// installed. Messages are delivered in tasks queued with env.Queue(), which
// is called from any goroutine and must make an idle runtime run the task
// (wake a sleeping worker, say); without one, ports of the realm can send
// but never receive.
func Register(env *bindings.Env) error {
	r := env.Realm
	a := &agent{realm: r, queue: env.Queue()}
	r.SetData(agentKey{}, a)
	onmessage := events.HandlerAttribute("onmessage")
	setOnmessage := onmessage.Set
	onmessage.Set = func(c webidl.Call, v goja.Value) {
		setOnmessage(c, v)
		// The first time onmessage is set, the port message queue is enabled,
		// as if start() had been called
		// (https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports).
		c.Impl.(*port).enable()
	}
	if err := r.DefineInterface(&webidl.Interface{
		Name:   "MessagePort",
		Parent: "EventTarget",
		Attributes: []webidl.Attribute{
			events.HandlerAttribute("onclose"),
			onmessage,
			events.HandlerAttribute("onmessageerror"),
		},
		Operations: []webidl.Operation{
			{Name: "postMessage", Length: 1, Func: postMessage},
			{Name: "start", Func: func(c webidl.Call) goja.Value {
				// The start() method steps are to enable this's port
				// message queue, if it is not already enabled.
				c.Impl.(*port).enable()
				return goja.Undefined()
			}},
			{Name: "close", Func: func(c webidl.Call) goja.Value {
				p := c.Impl.(*port)
				// 1. Set this's [[Detached]] internal slot value to true.
				p.detached = true
				// 2. If this is entangled, disentangle it.
				if p.holds() {
					disentangle(p.end, p.agent)
				}
				return goja.Undefined()
			}},
		},
	}); err != nil {
		return err
	}
	return r.DefineInterface(&webidl.Interface{
		Name: "MessageChannel",
		// Its slots hold its ports, which the object then keeps alive, not
		// the realm's table: a channel and a port nothing else refers to
		// are collected in one garbage collection.
		SlotsReferToObject: true,
		Constructor: func(c webidl.Call) any {
			// 1-2. Set this's port 1 and port 2 to new MessagePort objects
			// in this's relevant realm. 3. Entangle them.
			e1, e2 := new(end), new(end)
			entangle(e1, e2)
			return &channel{port1: newPort(a, e1).obj, port2: newPort(a, e2).obj}
		},
		Attributes: []webidl.Attribute{
			{Name: "port1", Get: func(c webidl.Call) goja.Value { return c.Impl.(*channel).port1 }},
			{Name: "port2", Get: func(c webidl.Call) goja.Value { return c.Impl.(*channel).port2 }},
		},
	})
}

// channel holds the internal slots of a MessageChannel
// (https://html.spec.whatwg.org/multipage/web-messaging.html#message-channels).
type channel struct {
	port1, port2 *goja.Object
}

// TransferList resolves the overloads postMessage(message,
// sequence<object> transfer) and postMessage(message, optional
// StructuredSerializeOptions options = {}) of MessagePort, Worker and
// DedicatedWorkerGlobalScope (Web IDL's overload resolution,
// https://webidl.spec.whatwg.org/#js-overloads: a second argument that is an
// object with an @@iterator method selects the sequence) and returns the
// transfer list. It throws the TypeError of a call without arguments.
func TransferList(c webidl.Call) []*goja.Object {
	c.RequireArgs("postMessage", 1)
	if len(c.Args) < 2 {
		return nil
	}
	v := c.Args[1]
	if o, ok := v.(*goja.Object); ok {
		if m := o.GetSymbol(goja.SymIterator); m != nil && !webidl.IsNullish(m) {
			return webidl.ToSequence(c.Realm, v, c.Realm.ToObject)
		}
	}
	return structuredclone.TransferOption(c.Realm, v)
}

// postMessage runs postMessage(message, transfer) and postMessage(message,
// options): the message port post message steps
// (https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps)
// with this port's entangled port as targetPort.
func postMessage(c webidl.Call) goja.Value {
	transfer := TransferList(c)
	p := c.Impl.(*port)
	// 1. Let targetPort be the port with which this is entangled, if any.
	var target *end
	if p.holds() {
		target = p.end.remote.Load()
	}
	// Message port post message steps:
	// 1-2. If transfer contains this MessagePort: "DataCloneError".
	// 3-4. doomed is true if transfer contains targetPort.
	doomed := false
	for i, o := range transfer {
		if o == c.This {
			c.Realm.ThrowDOMException("DataCloneError", "Failed to execute 'postMessage' on 'MessagePort': Port at index "+strconv.Itoa(i)+" contains the source port.")
		}
		if impl, ok := c.Realm.Impl(o, "MessagePort"); ok && target != nil && impl.(*port).end == target && impl.(*port).holds() {
			doomed = true
		}
	}
	// 5. Let serializeWithTransferResult be
	// ? StructuredSerializeWithTransfer(message, transfer).
	m := structuredclone.Serialize(c.Realm, c.Args[0], transfer, "postMessage")
	// 6. If targetPort is null, or if doomed is true, then return: nothing
	// will receive the message or what it transfers.
	if target == nil || doomed {
		m.Discard()
		return goja.Undefined()
	}
	// 7. Add the task that delivers it to targetPort's port message queue.
	target.post(m)
	return goja.Undefined()
}

func init() {
	// MessagePort is [Transferable]
	// (https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports).
	if err := structuredclone.RegisterTransferable(structuredclone.Transferable{
		Interface: "MessagePort",
		Detached:  func(impl any) bool { return impl.(*port).detached },
		Transfer: func(r *webidl.Realm, o *goja.Object) (any, error) {
			impl, _ := r.Impl(o, "MessagePort")
			p := impl.(*port)
			// Transfer steps: 1. Set value's has been shipped flag to
			// true. 2. dataHolder.[[PortMessageQueue]] is the queue, and
			// 3-4. [[RemotePort]] the entangled port: both stay with the
			// end, which the data holder carries. (The remote port's has
			// been shipped flag only chooses a task source, which nothing
			// here distinguishes.) Then [[Detached]] is set to true.
			// Only the tasks that fire message events move with the
			// queue (the transfer-receiving steps, step 2, of
			// https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports):
			// a close event left in it was due to value, which, shipped,
			// gets none, like a port shipped when disentangle runs.
			p.shipped, p.detached = true, true
			e := p.end
			e.mu.Lock()
			e.owner, e.keep, e.enabled, e.closing = weak.Pointer[port]{}, nil, false, false
			e.mu.Unlock()
			return e, nil
		},
		Receive: func(r *webidl.Realm, data any) (*goja.Object, error) {
			a, err := agentOf(r)
			if err != nil {
				return nil, err
			}
			// Transfer-receiving steps: 1. Set value's has been shipped
			// flag to true. 2. The tasks of dataHolder.[[PortMessageQueue]]
			// move to value's queue, left disabled. 3. value is entangled
			// with dataHolder.[[RemotePort]]: both come with the end.
			p := newPort(a, data.(*end))
			p.shipped = true
			return p.obj, nil
		},
		// A port nobody receives is as if garbage collected: disentangled.
		Discard: func(data any) { data.(*end).discard(true) },
	}); err != nil {
		panic(err)
	}
}

// NewPort creates a MessagePort in r, on r's event loop, entangled with an
// end that no realm holds yet: messages posted to the port wait at that end
// until Endpoint.Port gives it a MessagePort in the realm where they are to
// be received. A shared worker's connection is made this way, the port of
// the SharedWorker object first, the one of the connect event later, once
// the worker's realm exists.
func NewPort(r *webidl.Realm) (*goja.Object, *Endpoint, error) {
	a, err := agentOf(r)
	if err != nil {
		return nil, nil, err
	}
	e1, e2 := new(end), new(end)
	entangle(e1, e2)
	return newPort(a, e1).obj, &Endpoint{e: e2}, nil
}

// An Endpoint is the far end of a port made by NewPort.
type Endpoint struct {
	mu   sync.Mutex
	e    *end
	used bool
}

// Port creates the MessagePort holding the endpoint in r, on r's event loop,
// as the transfer-receiving steps would: the messages posted so far wait in
// its port message queue, which is disabled until start() or onmessage
// enables it. It may be called once; later calls, and calls after Close,
// return an error.
func (ep *Endpoint) Port(r *webidl.Realm) (*goja.Object, error) {
	a, err := agentOf(r)
	if err != nil {
		return nil, err
	}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.used {
		return nil, errors.New("messaging: the endpoint already has a port")
	}
	ep.used = true
	return newPort(a, ep.e).obj, nil
}

// Close gives up an endpoint that will get no port, as when a shared worker
// cannot start: its peer is disentangled, without a close event since to
// script it was never entangled, and the messages waiting at it are
// dropped. It does nothing once Port has been called. It may be called on
// any goroutine.
func (ep *Endpoint) Close() {
	ep.mu.Lock()
	if ep.used {
		ep.mu.Unlock()
		return
	}
	ep.used = true
	ep.mu.Unlock()
	ep.e.discard(false)
}

// Start enables the port message queue of the MessagePort obj of r, as
// start() does; it must run on r's event loop. It returns an error if port
// is not a MessagePort of r.
func Start(r *webidl.Realm, obj *goja.Object) error {
	impl, ok := r.Impl(obj, "MessagePort")
	if !ok {
		return errors.New("messaging: not a MessagePort of this realm")
	}
	impl.(*port).enable()
	return nil
}

// Shutdown disentangles every port of r's realm, as HTML does when the
// global object they belong to goes away: their peers get close events, the
// messages waiting in their port message queues are dropped, with the ports
// they carry, as if garbage collected, and what is posted to them later is
// dropped. Call it once r's event loop has stopped for good, from any
// goroutine.
func Shutdown(r *webidl.Realm) {
	a, ok := r.Data(agentKey{}).(*agent)
	if !ok {
		return // never installed: no ports
	}
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return
	}
	a.closed = true
	ends := a.ends
	a.ends = nil
	a.mu.Unlock()
	for _, w := range ends {
		e := w.Value()
		if e == nil {
			continue
		}
		e.mu.Lock()
		p := e.owner.Value()
		mine := p != nil && p.agent == a
		e.mu.Unlock()
		if mine {
			e.discard(true)
		} else if w, dead := e.dead(); dead {
			e.collected(w)
		}
	}
}
