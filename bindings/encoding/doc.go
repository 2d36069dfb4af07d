// Package encoding binds the TextEncoder and TextDecoder interfaces of the
// WHATWG Encoding Standard (https://encoding.spec.whatwg.org/) to a goja
// runtime: Register installs them on a webidl.Realm. TextDecoder knows every
// encoding label of the standard; UTF-8, UTF-16LE, UTF-16BE, the single-byte
// encodings and x-user-defined are decoded by the standard's own decoder
// algorithms, and the legacy multi-byte encodings through golang.org/x/text,
// whose error handling differs from the standard's in a few cases.
// The package also exports the standard's "UTF-8 decode", "get an encoding"
// (Lookup) and "decode" (Decode) hooks for other bindings.
package encoding
