// Package webidl implements the parts of the Web IDL Standard
// (https://webidl.spec.whatwg.org/) that a Go binding of a web API needs on top
// of goja: a per-runtime Realm that keeps interface objects, prototypes and the
// hidden internal slots of platform objects; a builder that turns a Go
// description of an IDL interface into interface objects, prototype objects and
// properties with exactly the attributes
// https://webidl.spec.whatwg.org/#js-interfaces prescribes, pair iterators
// included; the conversions of https://webidl.spec.whatwg.org/#js-type-mapping
// between JavaScript values and IDL types (integers with [EnforceRange] and
// [Clamp], floating point types, strings, sequences, records, dictionaries,
// enumerations, unions, callbacks, buffer sources and promises); and the
// DOMException interface of https://webidl.spec.whatwg.org/#idl-DOMException.
//
// A Realm's global object defines its properties on first use (global.go):
// it is a Proxy over goja's own global object, with traps that define what
// is pending before anything could observe it, in the key order of an eager
// realm; a realm that installs everything at once (Realm.Eager) keeps
// goja's global object, without the Proxy. Go code that treats Proxies
// apart must not treat the global object as one (Realm.IsGlobal). The built-ins a realm and its bindings use are looked up
// through Intrinsics, captured before the realm's first script (Prepare).
// Operations that loop in Go over a script's input count their steps on the
// realm's Poller, which lets them see the runtime's interrupt.
package webidl
