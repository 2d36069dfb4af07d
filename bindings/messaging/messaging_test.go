package messaging

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/webidl"
)

// prelude defines throws(f), the name of what f throws or "nothing".
const prelude = `
function throws(f) {
	try { f(); return "nothing"; } catch (e) { return e.name; }
}
`

// fragile is the internal slots of TestFragile, an interface whose objects
// serialize but never deserialize, for messageerror.
type fragile struct{}

func init() {
	if err := structuredclone.RegisterSerializable(structuredclone.Serializable{
		Interface:   "TestFragile",
		Serialize:   func(*webidl.Realm, *goja.Object) (any, error) { return nil, nil },
		Deserialize: func(*webidl.Realm, any) (*goja.Object, error) { return nil, errors.New("it broke") },
	}); err != nil {
		panic(err)
	}
}

// TestChannel runs scripts using MessageChannel and MessagePort in one realm
// and checks what they log, in order.
func TestChannel(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"message", `
const {port1, port2} = new MessageChannel();
port2.onmessage = (e) => log(e.constructor.name, e.type, e.isTrusted, e.target === port2, JSON.stringify(e.data),
	e.origin === "", e.lastEventId === "", e.source, e.ports.length, Object.isFrozen(e.ports), e.bubbles, e.cancelable);
port1.postMessage({a: [1, 2]});
log("posted");
`, []string{"posted", `MessageEvent message true true {"a":[1,2]} true true null 0 true false false`}},

		{"the queue waits for start()", `
const {port1, port2} = new MessageChannel();
port2.addEventListener("message", (e) => log("got", e.data));
port1.postMessage(1);
port1.postMessage(2);
setTimeout(() => {
	log("start");
	port2.start();
	port2.start();
	port1.postMessage(3);
}, 0);
`, []string{"start", "got 1", "got 2", "got 3"}},

		{"setting onmessage, even to null, starts the port", `
const {port1, port2} = new MessageChannel();
port2.onmessage = null;
port2.addEventListener("message", (e) => log("listener", e.data));
port1.postMessage(1);
`, []string{"listener 1"}},

		{"both ways, in order", `
const {port1, port2} = new MessageChannel();
port1.onmessage = (e) => { log("port1", e.data); if (e.data < 4) port1.postMessage(e.data + 1); };
port2.onmessage = (e) => { log("port2", e.data); port2.postMessage(e.data + 1); };
port1.postMessage(0);
port1.postMessage(10);
`, []string{"port2 0", "port2 10", "port1 1", "port1 11", "port2 2", "port1 3", "port2 4", "port1 5"}},

		{"a transferred port takes its queue and its peer along", `
const a = new MessageChannel(), b = new MessageChannel();
b.port1.postMessage("queued before the transfer");
a.port2.onmessage = (e) => {
	const p = e.ports[0];
	log("received", e.data.n, e.ports.length, p instanceof MessagePort, p !== b.port2, e.data.port === p);
	p.onmessage = (e) => log("moved port got", e.data);
	b.port1.postMessage("after the transfer");
};
a.port1.postMessage({n: 1, port: b.port2}, [b.port2]);
log("again:", throws(() => a.port1.postMessage(0, [b.port2])));
b.port2.onmessage = () => log("the old port got a message");
b.port2.postMessage("from the old port");
b.port2.start();
`, []string{"again: DataCloneError", "received 1 1 true true true", "moved port got queued before the transfer", "moved port got after the transfer"}},

		{"bad arguments", `
const {port1, port2} = new MessageChannel();
log(throws(() => port1.postMessage(0, [port1])), throws(() => port1.postMessage(0, {transfer: [port1]})));
log(throws(() => port1.postMessage()), throws(() => port1.postMessage(0, 5)), throws(() => port1.postMessage(0, {transfer: 5})));
log(throws(() => port1.postMessage(() => {})), throws(() => port1.postMessage(0, [{}])), throws(() => port1.postMessage(port2)));
log(throws(() => MessagePort.prototype.postMessage.call({}, 1)), throws(() => new MessagePort()), throws(() => MessageChannel()));
try { port1.postMessage(0, [port1]); } catch (e) { log(e.message); }
port2.onmessage = (e) => log("port2 still works:", e.data);
port1.postMessage("yes");
`, []string{
			"DataCloneError DataCloneError",
			"TypeError TypeError TypeError",
			"DataCloneError DataCloneError DataCloneError",
			"TypeError TypeError TypeError",
			"Failed to execute 'postMessage' on 'MessagePort': Port at index 0 contains the source port.",
			"port2 still works: yes",
		}},

		{"posting the target port loses the channel", `
const {port1, port2} = new MessageChannel();
port2.onmessage = () => log("port2 got a message");
port1.onclose = () => log("port1 close");
port1.postMessage("doomed", [port2]);
port1.postMessage("after");
log("posted");
`, []string{"posted", "port1 close"}},

		{"close", `
const {port1, port2} = new MessageChannel();
port1.onclose = (e) => log("port1 close", e.constructor.name, e.isTrusted, e.target === port1);
port2.onclose = () => log("port2 close");
port2.onmessage = (e) => log("port2 got", e.data);
port1.onmessage = (e) => log("port1 got", e.data);
port1.postMessage("before close");
port2.close();
log("closed");
port1.postMessage("after close");
port2.postMessage("from the closed port");
port2.close();
log("transfer a closed port:", throws(() => port1.postMessage(0, [port2])));
`, []string{"port1 close Event true true", "closed", "transfer a closed port: DataCloneError", "port2 got before close"}},

		{"messageerror", `
const {port1, port2} = new MessageChannel();
port2.onmessage = () => log("message");
port2.onmessageerror = (e) => log("messageerror", e.constructor.name, e.data, e.ports.length, e.isTrusted);
port1.postMessage(fragile);
port1.postMessage("fine");
`, []string{"messageerror MessageEvent null 0 true", "message"}},

		{"MessageEvent with ports", `
const {port1, port2} = new MessageChannel();
const e = new MessageEvent("x", {ports: [port1, port2], source: port1});
log(e.ports.length, e.ports[0] === port1, e.source === port1, Object.isFrozen(e.ports), e.ports === e.ports, e.isTrusted);
log(throws(() => new MessageEvent("x", {ports: [{}]})), throws(() => new MessageEvent("x", {source: {}})));
e.initMessageEvent("y", false, false, null, "", "", port2, [port2]);
log(e.type, e.source === port2, e.ports.length, e.ports[0] === port2);
`, []string{"2 true true true true false", "TypeError TypeError", "y true 1 true"}},

		{"structuredClone transfers ports", `
const {port1, port2} = new MessageChannel();
port1.onmessage = (e) => log("port1 got", e.data);
const copy = structuredClone({p: port2, again: port2}, {transfer: [port2]});
log(copy.p instanceof MessagePort, copy.p !== port2, copy.again === copy.p);
copy.p.postMessage("through the clone");
port2.postMessage("through the original");
log(throws(() => structuredClone(port1)));
`, []string{"true true true", "DataCloneError", "port1 got through the clone"}},

		{"an exception in a listener is reported, delivery goes on", `
const {port1, port2} = new MessageChannel();
port2.onmessage = (e) => { if (e.data === 1) throw new Error("boom"); log("got", e.data); };
port1.postMessage(1);
port1.postMessage(2);
`, []string{"uncaught: Error: boom", "got 2"}},

		{"interfaces", `
const c = new MessageChannel();
log(typeof MessageChannel, MessageChannel.length, c.port1 === c.port1, c.port1 !== c.port2, String(c.port1));
log(Object.getPrototypeOf(MessagePort.prototype) === EventTarget.prototype, MessagePort.prototype.postMessage.length,
	["onmessage", "onmessageerror", "onclose", "postMessage", "start", "close"].every((k) => k in MessagePort.prototype),
	Object.getOwnPropertyDescriptor(MessageChannel.prototype, "port1").set === undefined);
`, []string{"function 0 true true [object MessagePort]", "true 1 true true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if err := e.realm.DefineInterface(&webidl.Interface{Name: "TestFragile"}); err != nil {
				t.Fatal(err)
			}
			if err := e.vm.Set("fragile", e.realm.New("TestFragile", &fragile{})); err != nil {
				t.Fatal(err)
			}
			e.run(t, prelude+tt.src)
			e.Want(t, tt.want...)
		})
	}
}

// start runs e's loop on its own goroutine until the returned function is
// called, which waits for the loop to return.
func start(t *testing.T, e *env) (stop func()) {
	t.Helper()
	release := e.loop.Hold()
	done := make(chan error, 1)
	go func() { done <- e.loop.Run(context.Background()) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		release()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(stop)
	return stop
}

// transfer moves the port global name of from to the global port of to, as
// postMessage between two runtimes does: serialized with it in the transfer
// list on from's loop, deserialized on to's.
func transfer(t *testing.T, from, to *env, name string) {
	t.Helper()
	var m *structuredclone.Serialized
	from.do(t, func() {
		p := from.vm.Get(name).(*goja.Object)
		if exc := from.vm.Try(func() { m = structuredclone.Serialize(from.realm, p, []*goja.Object{p}, "postMessage") }); exc != nil {
			t.Error(exc)
		}
	})
	to.do(t, func() {
		if exc := to.vm.Try(func() {
			v, list := m.DeserializeWithTransfer(to.realm, "postMessage")
			if len(list) != 1 || list[0] != v {
				t.Errorf("transferred values %v, value %v", list, v)
			}
			_ = to.vm.Set("port", v)
		}); exc != nil {
			t.Error(exc)
		}
	})
}

// TestAcrossRuntimes sends messages between two runtimes, each on its own
// goroutine, through a port transferred from one to the other; messages
// queued at the port before the transfer go with it. Shutting one runtime
// down closes the channel for the other.
func TestAcrossRuntimes(t *testing.T) {
	a, b := newEnv(t), newEnv(t)
	start(t, a)
	stopB := start(t, b)
	a.do(t, func() {
		a.eval(t, `
globalThis.ch = new MessageChannel();
globalThis.far = ch.port2;
ch.port1.onmessage = (e) => log("a got", e.data);
ch.port1.onclose = () => log("a close");
ch.port1.postMessage("queued before the transfer");`)
	})
	transfer(t, a, b, "far")
	b.do(t, func() {
		b.eval(t, `port.onmessage = (e) => { log("b got", e.data); port.postMessage(e.data.length); };`)
	})
	a.do(t, func() { a.eval(t, `ch.port1.postMessage("hello")`) })
	b.WaitFor(t, "b got queued before the transfer")
	b.WaitFor(t, "b got hello")
	a.WaitFor(t, "a got 26")
	a.WaitFor(t, "a got 5")

	stopB()
	b.loop.Close()
	Shutdown(b.realm)
	a.WaitFor(t, "a close")
	a.do(t, func() { a.eval(t, `ch.port1.postMessage("to nobody")`) })
}

// TestEndpoint connects a realm to one that takes its port later, as a
// shared worker's connection does.
func TestEndpoint(t *testing.T) {
	a, b := newEnv(t), newEnv(t)
	start(t, a)
	start(t, b)
	var ep, dropped *Endpoint
	a.do(t, func() {
		p, e, err := NewPort(a.realm)
		if err != nil {
			t.Fatal(err)
		}
		ep = e
		_ = a.vm.Set("port", p)
		p2, e2, err := NewPort(a.realm)
		if err != nil {
			t.Fatal(err)
		}
		dropped = e2
		_ = a.vm.Set("other", p2)
		a.eval(t, `
port.onmessage = (e) => log("a got", e.data);
port.postMessage("early");
other.onclose = () => log("other close");
other.postMessage("lost");`)
	})
	dropped.Close()
	b.do(t, func() {
		p, err := ep.Port(b.realm)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ep.Port(b.realm); err == nil {
			t.Error("a second Port succeeded")
		}
		_ = b.vm.Set("port", p)
		b.eval(t, `port.addEventListener("message", (e) => { log("b got", e.data); port.postMessage("back"); });`)
		if err := Start(b.realm, p); err != nil {
			t.Fatal(err)
		}
		if err := Start(b.realm, b.vm.NewObject()); err == nil {
			t.Error("Start of a plain object succeeded")
		}
	})
	b.WaitFor(t, "b got early")
	a.WaitFor(t, "a got back")
	a.do(t, func() { a.eval(t, `other.postMessage("still lost")`) })
	for _, l := range a.Lines() {
		if l == "other close" {
			t.Error("closing an endpoint that never had a port fired close at its peer")
		}
	}
	ep.Close() // after Port: nothing
	if _, err := dropped.Port(b.realm); err == nil {
		t.Error("Port after Close succeeded")
	}
}

// TestCloseAfterMessages checks that the close event a port of another realm
// causes comes after the messages that realm posted before it. The steps of
// the two realms run one after the other, in this order: the near realm
// listens; the far realm posts, then closes its port or goes away, before
// the near realm's loop has run, so the task that fires close is queued
// there first; then the near realm runs later, which may enable its port's
// queue only now.
func TestCloseAfterMessages(t *testing.T) {
	const listen = `
port.addEventListener("message", (e) => log("got", e.data));
port.addEventListener("close", () => log("close"));`
	const start = `log("start"); port.start();`
	tests := []struct {
		name     string
		near     string // run in the near realm first
		far      string // run in the far realm, then its port is closed
		shutdown bool   // the far realm goes away instead of calling close()
		later    string // run in the near realm last
		want     []string
	}{
		{"queue enabled", listen + "port.start();", `port.postMessage(1); port.postMessage(2);`, false, ``,
			[]string{"got 1", "got 2", "close"}},
		{"queue enabled after the close", listen, `port.postMessage(1); port.postMessage(2);`, false, start,
			[]string{"start", "got 1", "got 2", "close"}},
		{"queue enabled by onmessage after the close", `port.addEventListener("close", () => log("close"));`, `port.postMessage(1);`, false,
			`log("onmessage"); port.onmessage = (e) => log("got", e.data);`,
			[]string{"onmessage", "got 1", "close"}},
		{"the far realm goes away", listen, `port.postMessage(1);`, true, start,
			[]string{"start", "got 1", "close"}},
		{"the close event waits behind messages in a disabled queue", listen, `port.postMessage(1);`, false, `log("not started");`,
			[]string{"not started"}},
		{"without messages, the close event does not wait for start()", listen, ``, false, `log("not started");`,
			[]string{"close", "not started"}},
		{"a port shipped before its close event: the messages move, the event was due to the old port", listen, `port.postMessage(1);`, false, `
const moved = structuredClone(port, {transfer: [port]});
moved.onmessage = (e) => log("moved port got", e.data);
moved.onclose = () => log("moved port close");
port.start();`,
			[]string{"moved port got 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			near, far := newEnv(t), newEnv(t)
			p, ep, err := NewPort(near.realm)
			if err != nil {
				t.Fatal(err)
			}
			_ = near.vm.Set("port", p)
			near.eval(t, tt.near)
			fp, err := ep.Port(far.realm)
			if err != nil {
				t.Fatal(err)
			}
			_ = far.vm.Set("port", fp)
			if tt.shutdown {
				far.run(t, tt.far)
				far.loop.Close()
				Shutdown(far.realm)
			} else {
				far.run(t, tt.far+"port.close();")
			}
			near.run(t, tt.later)
			near.Want(t, tt.want...)
		})
	}
}

// TestUnreachablePortsAreForgotten checks that the realm does not keep the
// ports it made: channels nobody refers to are collected, and the realm's
// list of ends shrinks with them.
func TestUnreachablePortsAreForgotten(t *testing.T) {
	e := newEnv(t)
	a, err := agentOf(e.realm)
	if err != nil {
		t.Fatal(err)
	}
	fn, _ := goja.AssertFunction(e.eval(t, `(function (n) { for (let i = 0; i < n; i++) new MessageChannel().port1.postMessage(i); })`))
	for range 20 {
		if _, err := fn(goja.Undefined(), e.vm.ToValue(500)); err != nil {
			t.Fatal(err)
		}
		runtime.GC()
	}
	a.mu.Lock()
	n := len(a.ends)
	a.mu.Unlock()
	if n >= 10000 {
		t.Errorf("the realm tracks %d ends of 20000 made, most of them unreachable", n)
	}
}

// TestPostFromManyGoroutines posts from several runtimes to one port at
// once; every message arrives.
func TestPostFromManyGoroutines(t *testing.T) {
	recv := newEnv(t)
	start(t, recv)
	const senders, each = 4, 200
	var eps []*Endpoint
	recv.do(t, func() {
		recv.eval(t, `globalThis.count = 0;`)
		for range senders {
			p, ep, err := NewPort(recv.realm)
			if err != nil {
				t.Fatal(err)
			}
			eps = append(eps, ep)
			fn, _ := goja.AssertFunction(recv.eval(t, `(function (p) { p.onmessage = () => { if (++count === `+strconv.Itoa(senders*each)+`) log("all"); }; })`))
			if _, err := fn(goja.Undefined(), p); err != nil {
				t.Fatal(err)
			}
		}
	})
	for _, ep := range eps {
		s := newEnv(t)
		start(t, s)
		s.loop.Queue(func() {
			p, err := ep.Port(s.realm)
			if err != nil {
				t.Error(err)
				return
			}
			fn, _ := goja.AssertFunction(s.eval(t, `(function (p) { for (let i = 0; i < `+strconv.Itoa(each)+`; i++) p.postMessage({i}); })`))
			if _, err := fn(goja.Undefined(), p); err != nil {
				t.Error(err)
			}
		})
	}
	select {
	case <-waitLine(recv, "all"):
	case <-time.After(20 * time.Second):
		t.Fatalf("not every message arrived: %v", recv.Lines())
	}
}

func waitLine(e *env, line string) <-chan struct{} {
	c := make(chan struct{})
	go func() {
		for s := range e.Logged() {
			if s == line {
				close(c)
				return
			}
		}
	}()
	return c
}

// TestCollectedPortCloses checks the keep-alive of ports
// (https://html.spec.whatwg.org/multipage/web-messaging.html#ports-and-garbage-collection):
// a port nothing reaches whose queue is not enabled is collected and
// disentangled, and its peer gets a close event; one whose queue is enabled
// is kept alive by its peer and hears its messages.
func TestCollectedPortCloses(t *testing.T) {
	cases := []struct {
		name, src string
		collected bool
		want      []string
	}{
		{"not started", `
			function onclose() { log("close") }
			function channel() {
				const {port1, port2} = new MessageChannel();
				port1.onclose = onclose;
				port1.start();
				port1.postMessage("dropped with port2");
				return port1;
			}
			var kept = channel();`, true, []string{"close"}},
		{"started", `
			var kept = (() => {
				const {port1, port2} = new MessageChannel();
				port1.onclose = () => log("close");
				port1.start();
				port2.onmessage = (e) => { log(e.data); port2.close(); };
				return port1;
			})();`, false, []string{"heard", "close"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.run(t, c.src)
			// The port is disentangled by its cleanup, which runs at some
			// time after the collection that finds it unreachable; the
			// realm's table of platform objects holds the last one it
			// looked up until the cleanup after a collection forgets it.
			impl, _ := e.realm.Impl(e.eval(t, "kept").ToObject(e.vm), "MessagePort")
			kept := impl.(*port).end
			collected := false
			for i := 0; i < 1000 && (c.collected && !collected || i < 4); i++ {
				runtime.GC()
				collected = kept.remote.Load() == nil
			}
			if collected != c.collected {
				t.Fatalf("the peer of the port kept was collected: %v, want %v", collected, c.collected)
			}
			if collected {
				// The close event's task may be queued by a cleanup, on
				// another goroutine, just after the ports are disentangled.
				release := e.loop.Hold()
				done := make(chan error, 1)
				go func() { done <- e.loop.Run(context.Background()) }()
				e.WaitFor(t, "close")
				release()
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			}
			e.run(t, `kept.postMessage("heard")`)
			e.Want(t, c.want...)
		})
	}
}
