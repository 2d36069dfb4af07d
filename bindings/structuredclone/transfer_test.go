package structuredclone

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/webidl"
)

// token is the internal slots of TestToken, a transferable interface: its
// value moves to the new object and the old one is detached.
type token struct {
	value    int
	detached bool
}

var discarded atomic.Int64

func init() {
	if err := RegisterTransferable(Transferable{
		Interface: "TestToken",
		Detached:  func(impl any) bool { return impl.(*token).detached },
		Transfer: func(r *webidl.Realm, o *goja.Object) (any, error) {
			impl, _ := r.Impl(o, "TestToken")
			t := impl.(*token)
			if t.value < 0 {
				return nil, errors.New("negative tokens stay")
			}
			t.detached = true
			return t.value, nil
		},
		Receive: func(r *webidl.Realm, data any) (*goja.Object, error) {
			if data.(int) == 13 {
				return nil, errors.New("unlucky")
			}
			return r.New("TestToken", &token{value: data.(int)}), nil
		},
		Discard: func(data any) { discarded.Add(int64(data.(int))) },
	}); err != nil {
		panic(err)
	}
}

func newTokenRealm(t *testing.T) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	vm, r := newRealm(t)
	if err := r.DefineInterface(&webidl.Interface{
		Name: "TestToken",
		Attributes: []webidl.Attribute{{Name: "value", Get: func(c webidl.Call) goja.Value {
			return c.VM().ToValue(c.Impl.(*token).value)
		}}},
	}); err != nil {
		t.Fatal(err)
	}
	vm.Set("newToken", func(v int) *goja.Object { return r.New("TestToken", &token{value: v}) })
	return vm, r
}

// TestTransferPlatformObjects transfers platform objects registered with
// RegisterTransferable through structuredClone, following the steps of
// StructuredSerializeWithTransfer
// (https://html.spec.whatwg.org/multipage/structured-data.html#structuredserializewithtransfer).
func TestTransferPlatformObjects(t *testing.T) {
	vm, _ := newTokenRealm(t)
	check(t, vm, []string{
		// Transferred: a new object in the same realm, the old one detached.
		`(() => { const a = newToken(4); const c = clone({a, again: a}, {transfer: [a]});
			return c.a instanceof TestToken && c.a !== a && c.a === c.again && c.a.value === 4 &&
				throws(() => clone(a, {transfer: [a]})) === 'DataCloneError:25' })()`,
		// Listed but not referenced: still transferred (and detached).
		`(() => { const a = newToken(5); clone(1, {transfer: [a]}); return throws(() => clone(0, {transfer: [a]})) === 'DataCloneError:25' })()`,
		// Referenced but not listed: a platform object that is not serializable.
		`throws(() => clone(newToken(1))) === 'DataCloneError:25'`,
		// Twice in the list.
		`(() => { const a = newToken(1); return throws(() => clone(a, {transfer: [a, a]})) === 'DataCloneError:25' })()`,
		// Transfer steps that fail leave the object attached.
		`(() => { const a = newToken(-1); return throws(() => clone(a, {transfer: [a]})) === 'DataCloneError:25' && clone(0, {transfer: [newToken(2)]}) === 0 })()`,
		// A failure after the buffers were checked: nothing is detached
		// before step 5, and step 5 stops at the first detached object.
		`(() => { const b = new ArrayBuffer(2), a = newToken(1); clone(0, {transfer: [a]});
			return throws(() => clone(b, {transfer: [b, a]})) === 'DataCloneError:25' && b.byteLength === 0 })()`,
		// Receiving steps that fail throw DataCloneError.
		`(() => { const a = newToken(13); return throws(() => clone(a, {transfer: [a]})) === 'DataCloneError:25' })()`,
	})
}

// TestDeserializeWithTransfer checks [[TransferredValues]]: the transferred
// objects in transfer list order, made in the receiving realm, and that
// Discard hands the data of objects nobody will receive to their Discard
// steps.
func TestDeserializeWithTransfer(t *testing.T) {
	from, fromRealm := newTokenRealm(t)
	to, toRealm := newTokenRealm(t)
	var s *Serialized
	if exc := from.Try(func() {
		v, err := from.RunString(`globalThis.a = newToken(7); globalThis.b = new ArrayBuffer(3); globalThis.c = newToken(8); ({c})`)
		if err != nil {
			panic(err)
		}
		list := []*goja.Object{from.Get("a").(*goja.Object), from.Get("b").(*goja.Object), from.Get("c").(*goja.Object)}
		s = Serialize(fromRealm, v, list, "postMessage")
	}); exc != nil {
		t.Fatal(exc)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var v goja.Value
		var list []*goja.Object
		if exc := to.Try(func() { v, list = s.DeserializeWithTransfer(toRealm, "postMessage") }); exc != nil {
			t.Error(exc)
			return
		}
		if len(list) != 3 {
			t.Errorf("%d transferred values, want 3", len(list))
			return
		}
		if impl, ok := toRealm.Impl(list[0], "TestToken"); !ok || impl.(*token).value != 7 {
			t.Errorf("transferred value 0: %v", list[0])
		}
		if !toRealm.IsArrayBuffer(list[1]) || list[1].Get("byteLength").ToInteger() != 3 {
			t.Errorf("transferred value 1: %v", list[1])
		}
		if v.(*goja.Object).Get("c") != list[2] {
			t.Error("the deserialized value does not refer to the transferred object")
		}
		if exc := to.Try(func() { s.Deserialize(toRealm, "postMessage") }); exc == nil {
			t.Error("a second deserialization did not throw")
		}
	}()
	<-done

	// A message nobody receives: Discard runs the Discard steps once.
	before := discarded.Load()
	if exc := from.Try(func() {
		s = Serialize(fromRealm, goja.Undefined(), []*goja.Object{from.NewObject()}, "postMessage")
	}); exc == nil {
		t.Error("transferring a plain object did not throw")
	}
	if exc := from.Try(func() {
		s = Serialize(fromRealm, goja.Undefined(), []*goja.Object{fromRealm.New("TestToken", &token{value: 30})}, "postMessage")
	}); exc != nil {
		t.Fatal(exc)
	}
	s.Discard()
	s.Discard()
	if got := discarded.Load() - before; got != 30 {
		t.Errorf("Discard steps got %d, want 30", got)
	}
	if exc := to.Try(func() { s.Deserialize(toRealm, "postMessage") }); exc == nil {
		t.Error("deserializing a discarded message did not throw")
	}
}

func TestRegisterTransferableErrors(t *testing.T) {
	if err := RegisterTransferable(Transferable{Interface: "TestIncomplete"}); err == nil {
		t.Error("registering without steps succeeded")
	}
	ok := Transferable{
		Interface: "TestToken",
		Detached:  func(any) bool { return false },
		Transfer:  func(*webidl.Realm, *goja.Object) (any, error) { return nil, nil },
		Receive:   func(*webidl.Realm, any) (*goja.Object, error) { return nil, nil },
	}
	if err := RegisterTransferable(ok); err == nil {
		t.Error("registering TestToken twice succeeded")
	}
}
