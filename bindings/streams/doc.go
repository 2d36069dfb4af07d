// Package streams binds the WHATWG Streams Standard (https://streams.spec.whatwg.org/)
// to a goja runtime: ReadableStream with its default controller, default reader, tee,
// async iteration and ReadableStream.from; readable byte streams with their
// ReadableByteStreamController, ReadableStreamBYOBReader and ReadableStreamBYOBRequest;
// WritableStream with its default controller and default writer; TransformStream;
// pipeTo and pipeThrough; the two queuing strategies; and the transfer of streams
// through postMessage (cross-realm transforms over MessagePorts, where the messaging
// binding is installed). Register installs the interfaces on a webidl.Realm, and
// NewReadableStream, NewWritableStream and NewTransformStream let other bindings create
// streams whose underlying source, sink or transformer is Go code running on the event
// loop, as the standard's "set up" algorithms let other specifications do, with byte
// reading support where they ask for it.
package streams
