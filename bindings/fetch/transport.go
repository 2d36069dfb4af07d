package fetch

import (
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/network"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
)

// fetcher is the Go side of one runtime's fetches: an http.Transport whose
// connections go through the embedder's network policy, and the root context
// that closing the runtime cancels.
type fetcher struct {
	policy *network.Policy // a copy of Options.Network
	// memory is the cluster's memory budget, which bodies read whole are
	// charged to, or nil.
	memory    *bindings.Budget
	tr        *http.Transport
	root      context.Context
	cancel    context.CancelFunc
	keepalive *keepaliveCount
}

// newFetcher makes the fetcher for opts. It keeps a copy of the network
// policy, so that its transport, which a response body still open keeps
// reachable, keeps nothing of what holds opts.Network (a runtime's own
// options).
func newFetcher(opts Options) *fetcher {
	var policy network.Policy
	if opts.Network != nil {
		policy = *opts.Network
	}
	n := &fetcher{policy: &policy, keepalive: new(keepaliveCount)}
	n.root, n.cancel = context.WithCancel(context.Background())
	n.tr = n.policy.Transport()
	n.tr.DisableCompression = true // content codings are handled as Fetch says
	n.tr.MaxIdleConns = 100
	n.tr.IdleConnTimeout = 90 * time.Second
	n.tr.TLSHandshakeTimeout = 10 * time.Second
	n.tr.ExpectContinueTimeout = time.Second
	return n
}

// keepaliveCount counts the bytes of the bodies of keepalive requests in
// flight, which step 8.10 of HTTP-network-or-cache fetch
// (https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch) bounds.
type keepaliveCount struct {
	mu    sync.Mutex
	bytes int64
}

// close aborts every fetch in flight and drops idle connections.
func (n *fetcher) close() {
	n.cancel()
	n.tr.CloseIdleConnections()
}

// netURL converts a URL record of an HTTP(S) URL to a net/url URL whose request
// target is the record's path and query exactly. Path holds the decoded path,
// for cookie jars and the connection policy; when net/url would write the path
// differently, the request is made in absolute form (RFC 9112 section 3.2.2,
// https://www.rfc-editor.org/rfc/rfc9112#section-3.2.2) from Opaque.
func netURL(rec *urlpkg.Record) *url.URL {
	host := rec.Host
	if rec.Port != "" {
		host += ":" + rec.Port
	}
	u := &url.URL{Scheme: rec.Scheme, Host: host, RawQuery: rec.Query, ForceQuery: rec.HasQuery && rec.Query == ""}
	if p, err := url.PathUnescape(rec.Path); err == nil {
		u.Path = p
		u.RawPath = rec.Path
	}
	if u.EscapedPath() != rec.Path {
		u.Opaque = "//" + host + rec.Path
	}
	return u
}

// decodeCodings implements "handle content codings"
// (https://fetch.spec.whatwg.org/#handle-content-codings) as a reader: the body
// is decoded with the codings of Content-Encoding, last applied first; codings
// this runtime does not support leave it as it is.
func decodeCodings(body io.ReadCloser, codings []string) io.ReadCloser {
	for _, c := range codings {
		switch c {
		case "gzip", "x-gzip", "deflate", "identity", "":
		default:
			return body
		}
	}
	r := io.Reader(body)
	for i := len(codings) - 1; i >= 0; i-- {
		switch codings[i] {
		case "gzip", "x-gzip":
			r = &gzipReader{src: r}
		case "deflate":
			r = &deflateReader{src: r}
		}
	}
	return &decodedBody{Reader: r, body: body}
}

// decodedBody reads the decoded body. Closing it closes the network body,
// which makes a read in progress fail; decoders hold nothing to release.
type decodedBody struct {
	io.Reader
	body io.ReadCloser
}

func (d *decodedBody) Close() error { return d.body.Close() }

// gzipReaders are reused: a gzip.Reader holds large buffers.
var gzipReaders sync.Pool

// gzipReader decodes gzip lazily, so that the header is read on the reading
// goroutine.
type gzipReader struct {
	src io.Reader
	zr  *gzip.Reader
	err error
}

func (g *gzipReader) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.zr == nil {
		zr, _ := gzipReaders.Get().(*gzip.Reader)
		var err error
		if zr == nil {
			zr, err = gzip.NewReader(g.src)
		} else {
			err = zr.Reset(g.src)
		}
		if err != nil {
			g.err = err
			return 0, err
		}
		g.zr = zr
	}
	n, err := g.zr.Read(p)
	if err != nil {
		g.err = err
		if err == io.EOF {
			// A reader that reached the end is reused.
			gzipReaders.Put(g.zr)
		}
		g.zr = nil
	}
	return n, err
}

// deflateReader decodes the "deflate" coding: zlib-wrapped data (RFC 9110
// section 8.4.1.2, https://www.rfc-editor.org/rfc/rfc9110#section-8.4.1.2), or
// raw deflate data as some servers send.
type deflateReader struct {
	src io.Reader
	r   io.ReadCloser
	err error
}

func (d *deflateReader) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.r == nil {
		var hdr [2]byte
		n, err := io.ReadFull(d.src, hdr[:])
		if err != nil && n == 0 {
			d.err = io.ErrUnexpectedEOF
			return 0, d.err
		}
		src := io.MultiReader(strings.NewReader(string(hdr[:n])), d.src)
		// A zlib header: CM 8, and the two bytes a multiple of 31.
		if n == 2 && hdr[0]&0x0F == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
			zr, err := zlib.NewReader(src)
			if err != nil {
				d.err = err
				return 0, err
			}
			d.r = zr
		} else {
			d.r = flate.NewReader(src)
		}
	}
	n, err := d.r.Read(p)
	if err != nil {
		d.err = err
	}
	return n, err
}

// netBody is a network response body not yet read: the decoded stream, the
// expected size and the function that ends the fetch (freeing its
// connection). It is the argument of the cleanups that close a body dropped
// unread, so it holds nothing of the fetch or of the realm.
type netBody struct {
	rc     io.ReadCloser
	hint   int64
	stop   func()
	memory *bindings.Budget // charged with the body read whole
	once   sync.Once
	// taken is set once a reader (a whole read or a stream) owns the
	// body, and with it the duty to close it.
	taken atomic.Bool
}

// readAll reads the body to the end on the calling goroutine, into memory
// charged to the budget until the bytes are collected. A body the budget has
// no room for fails with bindings.ErrMemory, which makes a network error of
// it: fetch's failure path for a body that cannot be read.
func (nb *netBody) readAll() ([]byte, error) {
	data, err := readAllWithin(nb.memory, nb.rc, nb.hint)
	nb.close()
	return data, err
}

// close ends the fetch and closes the body; it is idempotent and does not
// wait for a read in progress on another goroutine, which fails.
func (nb *netBody) close() {
	nb.once.Do(func() {
		nb.stop()
		go nb.rc.Close()
	})
}
