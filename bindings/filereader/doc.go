// Package filereader binds the File API's FileReader and FileReaderSync
// interfaces (https://w3c.github.io/FileAPI/#APIASynch and
// https://w3c.github.io/FileAPI/#FileReaderSync) to a webidl.Realm: Register
// installs them. FileReader reads a Blob as an ArrayBuffer, a binary
// string, text (in the encoding its argument or the Blob's type names) or a
// data: URL, and reports in ProgressEvents fired in tasks of the realm's
// event loop; FileReaderSync, in dedicated and shared workers only, returns
// the same results at once. The results are charged to the memory budget of
// Env.Cluster (bindings.Budget), as Blob's own reads are: a result beyond it
// is an error event with a NotReadableError for FileReader, and V8's
// RangeError for FileReaderSync.
package filereader
