package broadcast

import (
	"fmt"
	"sync"
	"testing"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// Within one realm: every other open channel of the name gets the message,
// in creation order, with the realm's origin; the sender and closed
// channels do not.
func TestOneRealm(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string
	}{
		{name: "order and origin", src: `
			const a = new BroadcastChannel("n"), b = new BroadcastChannel("n"), c = new BroadcastChannel("n");
			const other = new BroadcastChannel("other");
			for (const [k, ch] of Object.entries({a, b, c, other}))
				ch.onmessage = e => log(k, e.data, e.origin, e.constructor.name, e.source, e.ports.length);
			b.postMessage(1); a.postMessage(2);`,
			want: []string{"a 1 http://example.test MessageEvent null 0", "c 1 http://example.test MessageEvent null 0", "b 2 http://example.test MessageEvent null 0", "c 2 http://example.test MessageEvent null 0"}},
		{name: "closed", src: `
			const a = new BroadcastChannel("n"), b = new BroadcastChannel("n");
			b.onmessage = e => log("b", e.data);
			a.postMessage(1); b.close(); a.postMessage(2);
			try { b.postMessage(3) } catch (e) { log(e.name) }
			log(b.name);`,
			want: []string{"InvalidStateError", "n"}},
		{name: "clone", src: `
			const a = new BroadcastChannel("n"), b = new BroadcastChannel("n"), c = new BroadcastChannel("n");
			const buf = new Uint8Array([1, 2, 3]);
			const got = [];
			b.onmessage = c.onmessage = e => { got.push(e.data); if (got.length === 2) {
				got[0].buf[0] = 9;
				log(got[1].buf[0], got[0] !== got[1], got[0].self === got[0], buf[0]);
			} };
			const msg = {buf}; msg.self = msg;
			a.postMessage(msg);
			try { a.postMessage(() => 1) } catch (e) { log(e.name) }`,
			want: []string{"DataCloneError", "1 true true 1"}},
		{name: "lone surrogates", src: `
			const a = new BroadcastChannel("\ud800"), b = new BroadcastChannel("\udc00"), c = new BroadcastChannel("\ud800");
			b.onmessage = () => log("b"); c.onmessage = e => log("c", e.data, c.name === "\ud800");
			a.postMessage(1)`,
			want: []string{"c 1 true"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, config{})
			e.run(t, c.src)
			e.Want(t, c.want...)
			Shutdown(e.realm)
			wantEmptyRegistry(t)
		})
	}
}

// Across realms: channels hear each other when their origins and
// partitions are the same; opaque origins only within their cluster.
func TestAcrossRealms(t *testing.T) {
	shared := &bindings.Cluster{}
	cases := []struct {
		name     string
		from, to config
		heard    bool
	}{
		{name: "same origin", from: config{base: "http://a.test/x"}, to: config{base: "http://a.test:80/y"}, heard: true},
		{name: "other origin", from: config{base: "http://a.test/"}, to: config{base: "http://b.test/"}},
		{name: "other port", from: config{base: "http://a.test/"}, to: config{base: "http://a.test:81/"}},
		{name: "other partition", from: config{base: "http://a.test/", partition: "1"}, to: config{base: "http://a.test/", partition: "2"}},
		{name: "same partition", from: config{base: "http://a.test/", partition: "1"}, to: config{base: "http://a.test/", partition: "1"}, heard: true},
		{name: "opaque origins", from: config{base: "file:///a"}, to: config{base: "file:///a"}},
		{name: "opaque origin of one cluster", from: config{base: "file:///a", cluster: shared}, to: config{base: "file:///b", cluster: shared}, heard: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			to, from := newEnv(t, c.to), newEnv(t, c.from)
			to.run(t, `const ch = new BroadcastChannel("x"); ch.onmessage = e => log(e.data, e.origin)`)
			from.run(t, `new BroadcastChannel("x").postMessage("hi")`)
			to.run(t, ``)
			if c.heard {
				origin := "http://a.test"
				if c.from.cluster != nil {
					origin = "null"
				}
				to.Want(t, "hi "+origin)
			} else {
				to.Want(t)
			}
		})
	}
}

// Channels that are closed, or whose realm shuts down, leave the registry:
// many realms opening channels on many goroutines leave it empty.
func TestRegistryEmptiesOnClose(t *testing.T) {
	const realms, channels = 16, 50
	var wg sync.WaitGroup
	for i := range realms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := newEnv(t, config{base: "http://a.test/"})
			e.run(t, fmt.Sprintf(`
				const chs = [];
				for (let i = 0; i < %d; i++) {
					const ch = new BroadcastChannel("c" + (i %% 5));
					ch.onmessage = () => {};
					ch.postMessage(i);
					chs.push(ch);
				}
				if (%d %% 2) for (const ch of chs) ch.close();`, channels, i))
			e.loop.Close()
			Shutdown(e.realm)
		}()
	}
	wg.Wait()
	wantEmptyRegistry(t)
}

// The messages waiting for a channel are charged to the memory budget of
// its realm, not the sender's; they are given back when delivered or when
// the channel goes away. A receiver whose budget is full gets a
// messageerror event instead.
func TestBudget(t *testing.T) {
	cases := []struct {
		name      string
		delivered bool // or the receiver's realm shuts down first
	}{
		{name: "delivered", delivered: true},
		{name: "realm shut down"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			budget := bindings.NewBudget(12 << 10)
			to := newEnv(t, config{base: "http://a.test/", memory: budget})
			from := newEnv(t, config{base: "http://a.test/"})
			to.run(t, `var ch = new BroadcastChannel("x");
				ch.onmessage = e => log(e.type, e.data.byteLength);
				ch.onmessageerror = e => log(e.type, e.data, e.origin)`)
			from.run(t, `const ch = new BroadcastChannel("x");
				for (let i = 0; i < 3; i++) ch.postMessage(new ArrayBuffer(4096))`)
			if used := budget.Used(); used < 8<<10 {
				t.Errorf("receiver's budget used %d bytes with two messages waiting", used)
			}
			if c.delivered {
				to.run(t, ``)
				to.Want(t, "message 4096", "message 4096", "messageerror null http://a.test")
			} else {
				Shutdown(to.realm)
				to.run(t, ``)
				to.Want(t)
			}
			// The buffers delivered are garbage once the script drops them.
			to.run(t, `ch = null`)
			jstest.WaitUsed(t, budget, 0)
		})
	}
}
