package streams

import (
	"github.com/dop251/goja"
)

// byteTeeState is the state shared by the algorithms of ReadableByteStreamTee
// (https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamtee). Its reader
// is a default reader or a BYOB reader, whichever the branch read last asked for.
type byteTeeState struct {
	teeCancel
	dreader *defaultReader // reader, when it is a default reader
	breader *byobReader    // reader, when it is a BYOB reader

	reading                                  bool
	readAgainForBranch1, readAgainForBranch2 bool
	branch1, branch2                         *readableStream
}

// byteTee is ReadableByteStreamTee: both branches are byte streams and each gets its
// own copy of the bytes. It throws a TypeError when the stream is locked.
func (s *readableStream) byteTee() (*readableStream, *readableStream) {
	b := s.b
	// Steps 3-13.
	t := &byteTeeState{}
	t.dreader = s.acquireDefaultReader()
	t.teeCancel = newTeeCancel(s)
	// Steps 19-22.
	start := func() goja.Value { return goja.Undefined() }
	t.branch1 = b.createReadableByteStream(start, t.pull1, t.cancel1)
	t.branch2 = b.createReadableByteStream(start, t.pull2, t.cancel2)
	// Step 23.
	t.forwardReaderError(&t.dreader.genericReader)
	// Step 24.
	return t.branch1, t.branch2
}

// current returns the reader's generic slots.
func (t *byteTeeState) current() *genericReader {
	if t.breader != nil {
		return &t.breader.genericReader
	}
	return &t.dreader.genericReader
}

// forwardReaderError is the tee's forwardReaderError (step 14).
func (t *byteTeeState) forwardReaderError(thisReader *genericReader) {
	t.b.upon(thisReader.closed.obj, nil, func(r goja.Value) {
		if thisReader != t.current() {
			return
		}
		t.branch1.byteCtrl.error(r)
		t.branch2.byteCtrl.error(r)
		if !t.canceled1 || !t.canceled2 {
			t.cancelPromise.resolve(goja.Undefined())
		}
	})
}

// pullWithDefaultReader is the tee's pullWithDefaultReader (step 15).
func (t *byteTeeState) pullWithDefaultReader() {
	if t.breader != nil {
		t.breader.release()
		t.breader = nil
		t.dreader = t.stream.acquireDefaultReader()
		t.forwardReaderError(&t.dreader.genericReader)
	}
	t.dreader.read(byteTeeReadRequest{t})
}

// byteTeeReadRequest is the read request of pullWithDefaultReader.
type byteTeeReadRequest struct{ t *byteTeeState }

func (q byteTeeReadRequest) chunkSteps(chunk goja.Value) {
	t := q.t
	b := t.b
	// A microtask (see teeReadRequest.chunkSteps).
	b.upon(b.resolvedPromise(goja.Undefined()).obj, func(goja.Value) {
		t.readAgainForBranch1, t.readAgainForBranch2 = false, false
		chunk1, chunk2 := chunk, chunk
		if !t.canceled1 && !t.canceled2 {
			var clone *goja.Object
			if ex := b.vm.Try(func() { clone = b.cloneAsUint8Array(chunk) }); ex != nil {
				t.branch1.byteCtrl.error(ex.Value())
				t.branch2.byteCtrl.error(ex.Value())
				t.cancelPromise.resolve(t.stream.cancel(ex.Value()))
				return
			}
			chunk2 = clone
		}
		if !t.canceled1 {
			t.branch1.byteCtrl.enqueue(b.viewOf(chunk1))
		}
		if !t.canceled2 {
			t.branch2.byteCtrl.enqueue(b.viewOf(chunk2))
		}
		t.reading = false
		t.pullAgain()
	}, nil)
}

func (q byteTeeReadRequest) closeSteps() {
	t := q.t
	t.reading = false
	if !t.canceled1 {
		t.branch1.byteCtrl.close()
	}
	if !t.canceled2 {
		t.branch2.byteCtrl.close()
	}
	if len(t.branch1.byteCtrl.pendingPullIntos) > 0 {
		t.branch1.byteCtrl.respond(0)
	}
	if len(t.branch2.byteCtrl.pendingPullIntos) > 0 {
		t.branch2.byteCtrl.respond(0)
	}
	if !t.canceled1 || !t.canceled2 {
		t.cancelPromise.resolve(goja.Undefined())
	}
}

func (q byteTeeReadRequest) errorSteps(goja.Value) { q.t.reading = false }

// pullAgain performs pull1Algorithm or pull2Algorithm if a branch asked to read while
// a read was in progress.
func (t *byteTeeState) pullAgain() {
	if t.readAgainForBranch1 {
		t.pull1()
	} else if t.readAgainForBranch2 {
		t.pull2()
	}
}

// pullWithBYOBReader is the tee's pullWithBYOBReader (step 16).
func (t *byteTeeState) pullWithBYOBReader(view *goja.Object, forBranch2 bool) {
	if t.dreader != nil {
		t.dreader.release()
		t.dreader = nil
		t.breader = t.stream.acquireBYOBReader()
		t.forwardReaderError(&t.breader.genericReader)
	}
	t.breader.read(t.b.viewOf(view), 1, byteTeeReadIntoRequest{t: t, forBranch2: forBranch2})
}

// byteTeeReadIntoRequest is the read-into request of pullWithBYOBReader.
type byteTeeReadIntoRequest struct {
	t          *byteTeeState
	forBranch2 bool
}

// branches returns byobBranch, otherBranch and whether each is canceled.
func (q byteTeeReadIntoRequest) branches() (byobBranch, otherBranch *readableStream, byobCanceled, otherCanceled bool) {
	t := q.t
	if q.forBranch2 {
		return t.branch2, t.branch1, t.canceled2, t.canceled1
	}
	return t.branch1, t.branch2, t.canceled1, t.canceled2
}

func (q byteTeeReadIntoRequest) chunkSteps(chunk goja.Value) {
	t := q.t
	b := t.b
	// A microtask (see teeReadRequest.chunkSteps).
	b.upon(b.resolvedPromise(goja.Undefined()).obj, func(goja.Value) {
		t.readAgainForBranch1, t.readAgainForBranch2 = false, false
		byobBranch, otherBranch, byobCanceled, otherCanceled := q.branches()
		if !otherCanceled {
			var clone *goja.Object
			if ex := b.vm.Try(func() { clone = b.cloneAsUint8Array(chunk) }); ex != nil {
				byobBranch.byteCtrl.error(ex.Value())
				otherBranch.byteCtrl.error(ex.Value())
				t.cancelPromise.resolve(t.stream.cancel(ex.Value()))
				return
			}
			if !byobCanceled {
				byobBranch.byteCtrl.respondWithNewView(b.viewOf(chunk))
			}
			otherBranch.byteCtrl.enqueue(b.viewOf(clone))
		} else if !byobCanceled {
			byobBranch.byteCtrl.respondWithNewView(b.viewOf(chunk))
		}
		t.reading = false
		t.pullAgain()
	}, nil)
}

func (q byteTeeReadIntoRequest) closeSteps(chunk goja.Value) {
	t := q.t
	t.reading = false
	byobBranch, otherBranch, byobCanceled, otherCanceled := q.branches()
	if !byobCanceled {
		byobBranch.byteCtrl.close()
	}
	if !otherCanceled {
		otherBranch.byteCtrl.close()
	}
	if !goja.IsUndefined(chunk) {
		if !byobCanceled {
			byobBranch.byteCtrl.respondWithNewView(t.b.viewOf(chunk))
		}
		if !otherCanceled && len(otherBranch.byteCtrl.pendingPullIntos) > 0 {
			otherBranch.byteCtrl.respond(0)
		}
	}
	if !byobCanceled || !otherCanceled {
		t.cancelPromise.resolve(goja.Undefined())
	}
}

func (q byteTeeReadIntoRequest) errorSteps(goja.Value) { q.t.reading = false }

// pull1 is the tee's pull1Algorithm (step 17).
func (t *byteTeeState) pull1() *goja.Object {
	return t.pullBranch(t.branch1, &t.readAgainForBranch1, false)
}

// pull2 is the tee's pull2Algorithm (step 18).
func (t *byteTeeState) pull2() *goja.Object {
	return t.pullBranch(t.branch2, &t.readAgainForBranch2, true)
}

func (t *byteTeeState) pullBranch(branch *readableStream, readAgain *bool, forBranch2 bool) *goja.Object {
	b := t.b
	if t.reading {
		*readAgain = true
		return b.resolvedPromise(goja.Undefined()).obj
	}
	t.reading = true
	branch.byteCtrl.getBYOBRequest()
	if req := branch.byteCtrl.byobRequest; req == nil {
		t.pullWithDefaultReader()
	} else {
		t.pullWithBYOBReader(req.view, forBranch2)
	}
	return b.resolvedPromise(goja.Undefined()).obj
}
