// Package compression binds the WHATWG Compression Standard
// (https://compression.spec.whatwg.org/) to a goja runtime: CompressionStream and
// DecompressionStream, transform streams that compress or decompress the bytes
// written to them in the "deflate" (zlib, RFC 1950), "deflate-raw" (RFC 1951) and
// "gzip" (RFC 1952) formats with the standard library's compress/zlib,
// compress/flate and compress/gzip. Register installs both interfaces on a
// webidl.Realm; the streams binding must be installed first.
//
// Output is made as it is read. Each chunk of the readable side holds at most
// 64 KiB, and a write whose output runs to more than a batch of chunks makes the
// rest only as the readable side is read, so a small input that inflates to a
// huge output (a "zip bomb") is never held in memory at once: that write settles
// once its last output is queued. Output chunks are charged to the memory budget
// of the Env's Cluster (bindings.Budget); one it has no room for errors the
// stream with V8's RangeError "Array buffer allocation failed".
package compression
