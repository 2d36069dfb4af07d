package structuredclone

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/builtins"
)

// A SharedArrayBuffer is serialized as its memory, not a copy of it, with
// the agent cluster it may be deserialized in
// (https://html.spec.whatwg.org/multipage/structured-data.html#structuredserializeinternal
// step 13.1): every runtime's realm and its workers' share their cluster, so
// their typed arrays over the buffers read and write the same bytes. A realm
// without a cluster is one of its own.
// A realm that is not cross-origin isolated (webidl.Realm.CrossOriginIsolated)
// cannot serialize one (step 13.1.1).

// serializeShared fills r with the serialization of o if o is a
// SharedArrayBuffer, and reports whether it is.
func (s *serializer) serializeShared(o *goja.Object, r *record) bool {
	m, ok := builtins.SharedMemoryOf(o)
	if !ok {
		return false
	}
	// 13.1.1. If the current settings object's cross-origin isolated
	// capability is false, throw a "DataCloneError" DOMException.
	if !s.c.realm.CrossOriginIsolated() {
		s.c.realm.ThrowDOMException("DataCloneError", failed(s.op)+"A SharedArrayBuffer can only be cloned where self.crossOriginIsolated is true.")
	}
	// 13.1.2. forStorage is never true here. 13.1.3-4. { [[Type]]:
	// "SharedArrayBuffer" or "GrowableSharedArrayBuffer",
	// [[ArrayBufferData]], [[AgentCluster]] }; the memory holds the length.
	r.kind, r.shared, r.cluster = kindSharedArrayBuffer, m, s.c.clusterID()
	return true
}

// deserializeShared returns a SharedArrayBuffer in d's realm over r's memory,
// or throws a "DataCloneError" if the realm is not of r's agent cluster
// (https://html.spec.whatwg.org/multipage/structured-data.html#structureddeserialize
// step 12).
func (d *deserializer) deserializeShared(r *record) *goja.Object {
	if r.cluster != d.c.clusterID() {
		d.c.realm.ThrowDOMException("DataCloneError", failed(d.op)+"A SharedArrayBuffer could not be cloned to another agent cluster.")
	}
	o, err := builtins.NewSharedArrayBuffer(d.c.realm, r.shared)
	if err != nil {
		d.c.realm.ThrowDOMException("DataCloneError", failed(d.op)+err.Error())
	}
	return o
}

// clusterID identifies the agent cluster of c's realm.
func (c *cloner) clusterID() any {
	if c.cluster != nil {
		return c.cluster
	}
	return c
}
