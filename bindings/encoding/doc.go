// Package encoding binds the TextEncoder and TextDecoder interfaces of the
// WHATWG Encoding Standard (https://encoding.spec.whatwg.org/) to a goja
// runtime: Register installs them on a webidl.Realm. TextDecoder knows every
// encoding label of the standard, and every encoding is decoded by the
// standard's own decoder algorithm; the indexes of the legacy single-byte
// and multi-byte encodings are read from golang.org/x/text once per process,
// when first used, with the entries x/text has not caught up with corrected.
// The package also exports the standard's "UTF-8 decode", "get an encoding"
// (Lookup) and "decode" (Decode) hooks for other bindings.
package encoding
