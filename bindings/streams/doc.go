// Package streams binds the WHATWG Streams Standard (https://streams.spec.whatwg.org/)
// to a goja runtime: ReadableStream with its default controller, default reader, tee,
// async iteration and ReadableStream.from; WritableStream with its default controller
// and default writer; TransformStream; pipeTo and pipeThrough; and the two queuing
// strategies. Register installs the interfaces on a webidl.Realm, and NewReadableStream,
// NewWritableStream and NewTransformStream let other bindings create streams whose
// underlying source, sink or transformer is Go code running on the event loop, as the
// standard's "set up" algorithms let other specifications do. Byte streams
// (ReadableByteStreamController and BYOB readers) are not implemented.
package streams
