// Package structuredclone installs structuredClone (HTML "Safe passing of
// structured data",
// https://html.spec.whatwg.org/multipage/structured-data.html#safe-passing-of-structured-data)
// on a goja runtime. It follows the standard's StructuredSerializeWithTransfer
// and StructuredDeserialize steps: values are first serialized into Go records
// that hold nothing of the runtime, running the getters and conversions script
// can observe in the standard's order, then deserialized into new objects,
// keeping cycles and shared references, holes of arrays and the data of
// transferred ArrayBuffers. Other bindings make their platform objects
// cloneable with RegisterSerializable or transferable with
// RegisterTransferable, and send values to another realm, on another goroutine,
// with Serialize and Serialized.Deserialize (as postMessage does, taking its
// transfer list with TransferOption), or to several realms with
// Serialized.Copy (as BroadcastChannel does).
//
// A Serialized also crosses to another process: AppendBinary writes it in a
// compact, versioned binary format (wire.go) and DecodeBinary reads it back,
// checking input that may be hostile. Where no runtime is at hand, FromGo
// serializes a Go value as goja's ToValue would present it to script, and
// Serialized.ToGo reads a value as goja's Export would make it.
package structuredclone
