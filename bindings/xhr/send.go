package xhr

import (
	"io"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/fetch"
	"github.com/wsjs/wsjs/webidl"
)

// progressInterval is the "roughly 50ms" between the progress events of a
// response body (https://xhr.spec.whatwg.org/#the-send()-method).
const progressInterval = 50 * time.Millisecond

// send implements the send() method steps
// (https://xhr.spec.whatwg.org/#the-send()-method). bodyArg is the argument,
// converted to (Document or XMLHttpRequestBodyInit)? before the steps run, as Web
// IDL does; there is no Document.
func (x *xhr) send(bodyArg goja.Value) {
	r := x.b.r
	var data []byte
	var extractedType string
	hasBody, stringOrParams := false, false
	if !webidl.IsNullish(bodyArg) {
		data, extractedType = fetch.ExtractBody(r, bodyArg)
		hasBody = true
		stringOrParams = !r.Implements(bodyArg, "Blob") && !r.Implements(bodyArg, "FormData") &&
			!r.IsArrayBuffer(bodyArg) && !r.IsArrayBufferView(bodyArg)
	}
	// Steps 1-2.
	if x.state != opened {
		r.ThrowDOMException("InvalidStateError", "Failed to execute 'send' on 'XMLHttpRequest': The object's state must be OPENED.")
	}
	if x.sendFlag {
		r.ThrowDOMException("InvalidStateError", "Failed to execute 'send' on 'XMLHttpRequest': The request has already been sent.")
	}
	// Step 3.
	if x.method == "GET" || x.method == "HEAD" {
		hasBody = false
	}
	// Step 4.
	if hasBody {
		x.body = data
		if original, ok := x.headers.Get("Content-Type"); ok {
			// A charset other than UTF-8 in the author's Content-Type is
			// corrected for bodies encoded as UTF-8 here.
			if stringOrParams {
				if mt, ok := fetch.ParseMIMEType(original); ok {
					if cs, ok := mt.Param("charset"); ok && !equalFoldASCII(cs, "UTF-8") {
						mt.SetParam("charset", "UTF-8")
						x.headers.Set("Content-Type", mt.String())
					}
				}
			}
		} else if extractedType != "" {
			x.headers.Set("Content-Type", extractedType)
		}
	}
	// Step 5. Listeners of other types would see no event.
	if impl, ok := r.Impl(x.upload, "XMLHttpRequestUpload"); ok {
		ut := impl.(*eventTargetImpl).EventTarget()
		for _, h := range progressHandlers {
			if ut.HasListeners(h[len("on"):]) {
				x.uploadListener = true
				break
			}
		}
	}
	// Step 6.
	req := &fetch.Request{
		Method:       x.method,
		URL:          x.url,
		BlobURLEntry: x.blobEntry,
		Header:       x.headers,
		Body:         x.body,
		Mode:         "cors",
		Credentials:  "same-origin",
	}
	if x.credentials {
		req.Credentials = "include"
	}
	// Steps 7-10.
	x.uploadComplete = false
	x.timedOut = false
	if x.body == nil {
		x.uploadComplete = true
	}
	x.sendFlag = true
	if !x.sync {
		x.sendAsync(req)
		return
	}
	x.sendSync(req)
}

// sendAsync implements step 11 of send(): an asynchronous request.
func (x *xhr) sendAsync(req *fetch.Request) {
	b := x.b
	gen := x.gen
	// Step 11.1.
	b.fireProgress(x.this, "loadstart", 0, 0)
	// Steps 11.2-11.4.
	reqLen := int64(len(req.Body))
	// Step 11.5.
	if !x.uploadComplete && x.uploadListener {
		b.fireProgress(x.upload, "loadstart", 0, reqLen)
	}
	// Step 11.6. A listener may also have called open() and send() again: the
	// fetch of that call is the one made.
	if x.state != opened || !x.sendFlag || x.gen != gen {
		return
	}
	// Step 11.10: fetch, with processRequestBodyChunkLength,
	// processRequestEndOfBody and processResponse run in tasks.
	x.gen++
	gen = x.gen
	if x.uploadListener && req.Body != nil {
		req.BodyChunk = x.bodyChunkLength(gen, reqLen)
	}
	f, err := fetch.Start(b.r, req)
	x.f = f
	x.release = b.loop.Hold()
	x.fired = false
	hasBody := req.Body != nil
	go func() {
		resp := networkError
		if err == nil {
			resp = f.Response()
		}
		if hasBody && !resp.IsNetworkError() {
			b.loop.Queue(func() {
				if x.gen == gen {
					x.processRequestEndOfBody(reqLen)
				}
			})
		}
		if !b.loop.Queue(func() { x.processResponse(gen, resp) }) && resp.Body != nil {
			resp.Body.Close()
		}
	}()
	// Steps 11.11-11.12: the timeout is measured from now.
	x.sendTime = time.Now()
	x.armTimer()
}

// bodyChunkLength returns the processRequestBodyChunkLength of send() (step
// 11.7), which runs on the fetching goroutine: it counts the bytes transmitted
// and, when roughly 50ms have passed since it last reported (or since the fetch
// started), queues a task that fires a progress event at the upload object.
func (x *xhr) bodyChunkLength(gen uint64, reqLen int64) func(n int) {
	var mu sync.Mutex
	var transmitted int64
	last := time.Now()
	return func(n int) {
		mu.Lock()
		// Step 1.
		transmitted += int64(n)
		// Step 2.
		now := time.Now()
		if now.Sub(last) < progressInterval {
			mu.Unlock()
			return
		}
		last = now
		sent := transmitted
		mu.Unlock()
		// Step 3; the upload listener flag does not change while the
		// fetch is in flight.
		x.b.loop.Queue(func() {
			if x.gen == gen && !x.uploadComplete {
				x.b.fireProgress(x.upload, "progress", sent, reqLen)
			}
		})
	}
}

// armTimer (re)starts the timer of step 11.12 of send(), which terminates the
// fetch in flight once the timeout has passed since it started.
func (x *xhr) armTimer() {
	if x.timer != nil {
		x.timer.Stop()
		x.timer = nil
	}
	if x.timeout == 0 || x.f == nil {
		return
	}
	gen := x.gen
	d := time.Until(x.sendTime.Add(time.Duration(x.timeout) * time.Millisecond))
	x.timer = time.AfterFunc(d, func() {
		x.b.loop.Queue(func() {
			if x.gen == gen && x.f != nil {
				x.timedOut = true
				x.f.Abort()
			}
		})
	})
}

// stopFetch terminates the fetch controller, if a fetch is in flight, and
// forgets the fetch: what its tasks would do is not done.
func (x *xhr) stopFetch() {
	x.gen++
	if x.bodyQueue != nil {
		x.bodyQueue.stop()
		x.bodyQueue = nil
	}
	if x.f != nil {
		x.f.Abort()
		x.f = nil
	}
	if x.timer != nil {
		x.timer.Stop()
		x.timer = nil
	}
	if x.progressTimer != nil {
		x.progressTimer.Stop()
		x.progressTimer = nil
	}
	if x.release != nil {
		x.release()
		x.release = nil
	}
}

// processRequestEndOfBody is the processRequestEndOfBody of send() (step 11.8).
func (x *xhr) processRequestEndOfBody(reqLen int64) {
	// Step 1.
	x.uploadComplete = true
	// Step 2.
	if !x.uploadListener {
		return
	}
	// Steps 3-5: the whole body was transmitted.
	x.b.fireProgress(x.upload, "progress", reqLen, reqLen)
	x.b.fireProgress(x.upload, "load", reqLen, reqLen)
	x.b.fireProgress(x.upload, "loadend", reqLen, reqLen)
}

// processResponse is the processResponse of send() (step 11.9).
func (x *xhr) processResponse(gen uint64, resp *fetch.Response) {
	if x.gen != gen {
		if resp.Body != nil {
			resp.Body.Close()
		}
		return
	}
	// Steps 1-3.
	x.resp = resp
	x.handleErrors()
	if x.resp.IsNetworkError() {
		if resp.Body != nil {
			resp.Body.Close() // timed out meanwhile
		}
		return
	}
	// Steps 4-6.
	x.state = headersReceived
	x.fire("readystatechange")
	if x.state != headersReceived || x.gen != gen {
		if resp.Body != nil {
			resp.Body.Close()
		}
		return
	}
	// Step 7.
	if resp.Body == nil {
		x.handleResponseEndOfBody()
		return
	}
	// Steps 8-9.
	x.length, _ = resp.Header.Length()
	// Steps 10-13: incrementally read the body.
	x.readBody(gen, resp.Body)
}

// chunkBufs holds the buffers response bodies are read with.
var chunkBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// bodyQueue carries what a body's reading goroutine read to the loop: the bytes
// not yet handed over, and how reading ended. One task at most is queued at a
// time to hand them over; spare is the buffer the loop gave back, for the next
// bytes.
type bodyQueue struct {
	mu     sync.Mutex
	buf    bindings.Buffer // charged to the memory budget, as spare is
	spare  bindings.Buffer
	end    bool
	err    error
	queued bool
	// stopped is set when the fetch ends on the loop's side (stopFetch):
	// the reader then keeps nothing, so that a body still arriving after
	// an abort or an error holds no budget until a task that may not run
	// soon (the loop may be idle) drains it.
	stopped bool
}

// stop ends q's reading: its buffers are given back, and the reader drops
// what it reads from now on.
func (q *bodyQueue) stop() {
	q.mu.Lock()
	q.stopped = true
	q.buf.Free()
	q.spare.Free()
	q.mu.Unlock()
}

// readBody reads body on another goroutine, handing its bytes to
// processBodyChunk and its end to processEndOfBody or processBodyError, in tasks.
func (x *xhr) readBody(gen uint64, body io.ReadCloser) {
	q := &bodyQueue{buf: bindings.Buffer{Budget: x.b.memory}, spare: bindings.Buffer{Budget: x.b.memory}}
	x.bodyQueue = q
	loop := x.b.loop
	go func() {
		defer body.Close()
		bp := chunkBufs.Get().(*[]byte)
		defer chunkBufs.Put(bp)
		for {
			n, err := body.Read(*bp)
			q.mu.Lock()
			if q.stopped {
				q.mu.Unlock()
				return
			}
			if n > 0 {
				// What the loop has not taken yet is charged: a body
				// the budget has no room for fails as a network error.
				if _, werr := q.buf.Write((*bp)[:n]); werr != nil {
					err = werr
				}
			}
			if err != nil {
				q.end = true
				if err != io.EOF {
					q.err = err
				}
			}
			post := !q.queued && (n > 0 || q.end)
			if post {
				q.queued = true
			}
			end := q.end
			q.mu.Unlock()
			if post && !loop.Queue(func() { x.drain(gen, q) }) {
				return
			}
			if end {
				return
			}
		}
	}()
}

// drain runs on the loop with what the reading goroutine has read.
func (x *xhr) drain(gen uint64, q *bodyQueue) {
	q.mu.Lock()
	data, end, err := q.buf, q.end, q.err
	q.buf, q.spare = q.spare, bindings.Buffer{Budget: x.b.memory}
	q.queued = false
	q.mu.Unlock()
	if end {
		// The reader is done: nothing more comes into its buffers.
		defer q.buf.Free()
		defer data.Free()
	}
	if x.gen != gen {
		return
	}
	if data.Len() > 0 {
		x.processBodyChunk(data.Bytes())
		// The bytes are copied: the buffer goes back to the reader.
		if !end {
			data.Reset()
			q.mu.Lock()
			q.spare = data
			q.mu.Unlock()
		}
		if x.gen != gen {
			return
		}
	}
	if !end {
		return
	}
	if err != nil {
		// processBodyError.
		x.resp = networkError
		x.handleErrors()
		return
	}
	// processEndOfBody.
	x.handleResponseEndOfBody()
}

// processBodyChunk is the processBodyChunk of send() (step 11.9.10).
func (x *xhr) processBodyChunk(data []byte) {
	// Step 1. Bytes the memory budget has no room for end the body as
	// processBodyError does.
	if _, err := x.received.Write(data); err != nil {
		x.resp = networkError
		x.handleErrors()
		return
	}
	// Step 2. The spec returns, and the bytes would wait unseen for the next
	// chunk or the end of the body: they are reported once the 50ms have
	// passed instead (see deferProgress).
	if wait := x.progressWait(); wait > 0 {
		x.deferProgress(wait)
		return
	}
	x.progress()
}

// progressWait returns how long the progress events of the response body
// must still wait: progressInterval after they were last fired.
func (x *xhr) progressWait() time.Duration {
	if !x.fired {
		return 0
	}
	return progressInterval - time.Since(x.lastFire)
}

// progress is steps 3-5 of processBodyChunk.
func (x *xhr) progress() {
	x.fired, x.lastFire = true, time.Now()
	x.progressLen = x.received.Len()
	if x.state == headersReceived {
		x.state = loading
	}
	x.fire("readystatechange")
	x.b.fireProgress(x.this, "progress", int64(x.received.Len()), x.length)
}

// deferProgress arms a timer, unless one is armed, that after wait queues a
// task taking steps 3-5 of processBodyChunk for the bytes received since they
// were last taken. So every chunk is seen within roughly 50ms, and the events
// are still at most one per 50ms. The task does nothing once the fetch has
// ended (stopFetch changes gen and stops the timer): after load, error,
// timeout or abort no progress event is fired.
func (x *xhr) deferProgress(wait time.Duration) {
	if x.progressTimer != nil {
		return
	}
	gen := x.gen
	x.progressTimer = time.AfterFunc(wait, func() {
		x.b.loop.Queue(func() {
			if x.gen != gen {
				return
			}
			x.progressTimer = nil
			if x.received.Len() == x.progressLen {
				return // reported meanwhile by a chunk
			}
			if wait := x.progressWait(); wait > 0 {
				x.deferProgress(wait)
				return
			}
			x.progress()
		})
	})
}

// sendSync implements step 12 of send(): a synchronous request, which blocks the
// loop goroutine until the response's body is in or the timeout has passed.
func (x *xhr) sendSync(req *fetch.Request) {
	// Steps 12.1-12.3: fetch, with processResponseConsumeBody.
	type consumed struct {
		resp   *fetch.Response
		body   bindings.Buffer // charged to the memory budget
		failed bool
	}
	f, err := fetch.Start(x.b.r, req)
	x.gen++
	x.f = f
	ch := make(chan consumed, 1)
	go func() {
		if err != nil {
			ch <- consumed{resp: networkError}
			return
		}
		resp := f.Response()
		if resp.Body == nil {
			ch <- consumed{resp: resp}
			return
		}
		// A body the memory budget has no room for fails as a network
		// error.
		body := bindings.Buffer{Budget: x.b.memory}
		_, err := body.ReadFrom(resp.Body)
		resp.Body.Close()
		if err != nil {
			body.Free()
		}
		ch <- consumed{resp: resp, body: body, failed: err != nil}
	}()
	// Steps 12.4-12.5: pause.
	var timeout <-chan time.Time
	if x.timeout != 0 {
		t := time.NewTimer(time.Duration(x.timeout) * time.Millisecond)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case c := <-ch:
		// processResponseConsumeBody.
		if !c.failed {
			x.resp = c.resp
			x.received = c.body
		}
	case <-timeout:
		// Step 12.6.
		x.timedOut = true
		f.Abort()
	case <-x.b.loop.Context().Done():
		// The run was cancelled or the runtime closed: stop waiting for a server
		// that may never answer. The request ends as aborted; the script itself
		// is interrupted as soon as it runs again.
		f.Abort()
		x.resp = &fetch.Response{Type: "error", Aborted: true, Header: &fetch.HeaderList{}}
	}
	// Step 12.7 (report timing) has nothing to report to. Step 12.8.
	x.handleResponseEndOfBody()
}

// handleResponseEndOfBody implements "handle response end-of-body"
// (https://xhr.spec.whatwg.org/#handle-response-end-of-body).
func (x *xhr) handleResponseEndOfBody() {
	// Steps 1-2.
	x.handleErrors()
	if x.resp.IsNetworkError() {
		return
	}
	x.stopFetch()
	// Steps 3-5.
	transmitted := int64(x.received.Len())
	length, _ := x.resp.Header.Length()
	// Step 6.
	if !x.sync {
		x.b.fireProgress(x.this, "progress", transmitted, length)
	}
	// Steps 7-11.
	x.state = done
	x.sendFlag = false
	x.fire("readystatechange")
	x.b.fireProgress(x.this, "load", transmitted, length)
	x.b.fireProgress(x.this, "loadend", transmitted, length)
}

// handleErrors implements "handle errors"
// (https://xhr.spec.whatwg.org/#handle-errors).
func (x *xhr) handleErrors() {
	// Step 1.
	if !x.sendFlag {
		return
	}
	switch {
	case x.timedOut:
		// Step 2.
		x.requestError("timeout", "TimeoutError")
	case x.resp.Aborted:
		// Step 3.
		x.requestError("abort", "AbortError")
	case x.resp.IsNetworkError():
		// Step 4.
		x.requestError("error", "NetworkError")
	}
}

// requestError implements the request error steps
// (https://xhr.spec.whatwg.org/#request-error-steps) for the event typ and the
// exception named exc ("" for none).
func (x *xhr) requestError(typ, exc string) {
	x.stopFetch()
	// Steps 1-3.
	x.state = done
	x.sendFlag = false
	x.resp = networkError
	// A network error's body is null: no getter reads the bytes received
	// before it, which go back to the memory budget once collected (they
	// stayed charged for as long as the XMLHttpRequest lived).
	x.received = bindings.Buffer{Budget: x.b.memory}
	// Step 4.
	if x.sync && exc != "" {
		x.b.r.ThrowDOMException(exc, "Failed to execute 'send' on 'XMLHttpRequest': Failed to load '"+x.url+"'.")
	}
	// Step 5.
	x.fire("readystatechange")
	// Step 6.
	if !x.uploadComplete {
		x.uploadComplete = true
		if x.uploadListener {
			x.b.fireProgress(x.upload, typ, 0, 0)
			x.b.fireProgress(x.upload, "loadend", 0, 0)
		}
	}
	// Steps 7-8.
	x.b.fireProgress(x.this, typ, 0, 0)
	x.b.fireProgress(x.this, "loadend", 0, 0)
}

// equalFoldASCII reports whether a and b are equal ignoring ASCII case.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
