// Package blob binds the Blob, File and FileList interfaces of the File API
// (https://w3c.github.io/FileAPI/) to a goja runtime: Register installs them
// on a webidl.Realm. A Blob is an immutable sequence of bytes; slicing one
// shares its bytes instead of copying them. Blobs and Files are serializable
// with structuredClone. New and Bytes let other bindings (WebSocket's binary
// messages among them) create Blobs from Go bytes and read the bytes of a
// Blob passed to them; NewFile and FileName do the same for Files. The bytes the constructors gather are charged to the
// memory budget of Env.Cluster (bindings.Budget); a Blob beyond it is a
// RangeError. Those of Blobs made with New are charged by their makers, if at
// all. The copies that arrayBuffer(), bytes() and stream() make are charged
// too: beyond the budget, the promise rejects, or the stream errors, with
// V8's RangeError "Array buffer allocation failed"; text() needs room for its
// string while it decodes it ("Invalid string length").
package blob
