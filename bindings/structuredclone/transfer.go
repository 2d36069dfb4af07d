package structuredclone

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/webidl"
)

// Transferable describes a kind of platform object that can be transferred: the
// transfer steps and transfer-receiving steps of an interface marked
// [Transferable]
// (https://html.spec.whatwg.org/multipage/structured-data.html#transferable-objects),
// such as MessagePort. A transferable platform object has a [[Detached]]
// internal slot; once transferred, it is detached and cannot be transferred
// again.
type Transferable struct {
	// Interface is the interface's identifier, such as "MessagePort".
	Interface string
	// Detached reports the value of the [[Detached]] internal slot of the
	// platform object whose internal slots are impl.
	Detached func(impl any) bool
	// Transfer runs the transfer steps for obj and then sets its
	// [[Detached]] internal slot to true. It returns the contents of the
	// data holder: everything Receive needs, holding no object of the
	// runtime. An error becomes a "DataCloneError" DOMException.
	Transfer func(r *webidl.Realm, obj *goja.Object) (data any, err error)
	// Receive runs the transfer-receiving steps: it creates a new platform
	// object of the interface in r from data.
	Receive func(r *webidl.Realm, data any) (*goja.Object, error)
	// Discard, if not nil, is given the data of a transfer that will never
	// be received (see Serialized.Discard), as if the object were garbage
	// collected.
	Discard func(data any)
}

// transferables holds, for the whole process, the registered Transferables.
var transferables = registry[Transferable]{m: make(map[string]*Transferable)}

// RegisterTransferable makes the platform objects of t.Interface
// transferable in every realm: postMessage and structuredClone accept them
// in their transfer lists. Bindings call it from an init function. It is an
// error to register an interface twice or without Detached, Transfer and
// Receive.
func RegisterTransferable(t Transferable) error {
	if t.Interface == "" || t.Detached == nil || t.Transfer == nil || t.Receive == nil {
		return errors.New("structuredclone: a Transferable needs an Interface, Detached, Transfer and Receive")
	}
	if !transferables.add(t.Interface, &t) {
		return fmt.Errorf("structuredclone: %s is already transferable", t.Interface)
	}
	return nil
}

// DeserializeWithTransfer is Deserialize returning also the
// [[TransferredValues]] of StructuredDeserializeWithTransfer
// (https://html.spec.whatwg.org/multipage/structured-data.html#structureddeserializewithtransfer):
// the objects created from the transfer list, ArrayBuffers and platform
// objects, in its order, as postMessage's receiver needs them for the ports
// of its MessageEvent. The transferred values are created, and their
// transfer-receiving steps run, before the value is deserialized, so they
// exist even when deserializing throws.
func (s *Serialized) DeserializeWithTransfer(r *webidl.Realm, op string) (goja.Value, []*goja.Object) {
	c, ok := clonerOf(r)
	if !ok {
		r.ThrowTypeError("%sstructured cloning is not set up in this realm", failed(op))
	}
	if s.used.Swap(true) {
		r.ThrowDOMException("DataCloneError", failed(op)+"the message was already deserialized.")
	}
	// The value moves into the realm's heap: it is charged no more.
	s.release()
	d := &deserializer{c: c, memory: make(map[*record]*goja.Object), op: op}
	transferred := d.receive(s.holders)
	return d.deserialize(s.v), transferred
}

// Discard gives up a value that will never be deserialized, such as a
// message whose target port is gone: the transferred platform objects it
// holds are handed to their Discard steps. It does nothing if the value was
// deserialized or discarded already. It may be called on any goroutine.
func (s *Serialized) Discard() {
	if s.used.Swap(true) {
		return
	}
	s.release()
	for _, h := range s.holders {
		if h.kind == kindTransferred && h.transferable.Discard != nil {
			h.transferable.Discard(h.pdata)
		}
	}
}

// receive runs step 3 of StructuredDeserializeWithTransfer: for each
// transfer data holder, a new value in the target realm, put in memory so
// that the deserialized value refers to it.
func (d *deserializer) receive(holders []*record) []*goja.Object {
	if len(holders) == 0 {
		return nil
	}
	out := make([]*goja.Object, 0, len(holders))
	for i, h := range holders {
		var o *goja.Object
		switch h.kind {
		case kindArrayBuffer:
			// 3.2. An ArrayBuffer whose [[ArrayBufferData]] is the holder's.
			o = d.deserialize(value{ref: h}).(*goja.Object)
		case kindTransferred:
			// 3.3.3-4. A new instance of the interface, in the target
			// realm, given to the transfer-receiving steps. Holders left
			// after a failure are discarded, as nothing will receive them.
			var err error
			o, err = h.transferable.Receive(d.c.realm, h.pdata)
			if err == nil && o == nil {
				err = errors.New("no object")
			}
			if err != nil {
				for _, rest := range holders[i+1:] {
					if rest.kind == kindTransferred && rest.transferable.Discard != nil {
						rest.transferable.Discard(rest.pdata)
					}
				}
				d.c.realm.ThrowDOMException("DataCloneError", failed(d.op)+h.transferable.Interface+" object could not be transferred ("+err.Error()+").")
			}
			d.memory[h] = o
		default:
			d.c.realm.ThrowDOMException("DataCloneError", failed(d.op)+"a transferred value was not transferred.")
		}
		// 3.4-5. memory[holder] is the value; append it to transferredValues.
		out = append(out, o)
	}
	return out
}
