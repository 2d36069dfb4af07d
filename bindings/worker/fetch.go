package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/bindings/network"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
)

// Fetching the scripts of workers.
//
// A worker's script and the scripts it imports come from file: URLs, through
// the host (Host.LoadFile, so TypeScript and ES modules are bundled as for
// the scripts the host runs), or from http: and https: URLs, through
// net/http with Options.Network: its dialer, TLS configuration,
// proxy, cookie jar and connection policy (Allow is asked
// about every URL, redirects included, then about every address dialed,
// which is the proxy's when one is used).
// As HTML requires, a worker's own script must be same-origin with the
// creator (a script loaded from a file has an opaque origin, so it can only
// start workers from files), the response must have an ok status and a
// JavaScript MIME type, and the body is decoded as UTF-8 whatever its charset.
// blob: URLs from the realm's blob URL store give classic scripts; module
// workers are supported for files only. data: URLs are not supported.

type fetchKind int

const (
	fetchWorker   fetchKind = iota // HTML "fetch a classic worker script"
	fetchImported                  // HTML "fetch a classic worker-imported script"
)

// maxScriptSize bounds the body of a script fetched over HTTP.
const maxScriptSize = 64 << 20

// maxRedirects is Fetch's redirect limit (step 5 of "HTTP-redirect fetch",
// https://fetch.spec.whatwg.org/#concept-http-redirect-fetch).
const maxRedirects = 20

// fetchScript fetches and compiles the script at rec for a worker of a (the
// worker's own script when kind is fetchWorker, with a its parent and origin
// the serialization of its creator's origin) and returns it with the URL of
// the response, after redirects. A script that does not compile is a
// *SyntaxError; anything else is a network error. It may run on any
// goroutine: it uses nothing of a but its options.
func (a *agent) fetchScript(ctx context.Context, rec *urlbinding.Record, kind fetchKind, module bool, origin string) (*Script, string, error) {
	u, err := url.Parse(rec.Href)
	if err != nil {
		return nil, "", err
	}
	switch u.Scheme {
	case "file":
		return a.loadFileScript(u)
	case "http", "https":
		if module {
			return nil, "", errors.New("module workers can only be loaded from file: URLs")
		}
		return a.fetchHTTPScript(ctx, u, kind, origin)
	case "blob":
		if module {
			return nil, "", errors.New("module workers can only be loaded from file: URLs")
		}
		return a.loadBlobScript(rec.Href, kind, origin)
	}
	return nil, "", fmt.Errorf("%s: %s: URLs are not supported", rec.Href, u.Scheme)
}

// loadBlobScript loads a classic script from the blob URL store (File API
// "resolve a blob URL", https://w3c.github.io/FileAPI/#blob-url-resolve; the
// scheme fetch of blob: URLs,
// https://fetch.spec.whatwg.org/#concept-scheme-fetch). A worker's script must
// come from a blob URL its creator's origin minted.
func (a *agent) loadBlobScript(href string, kind fetchKind, origin string) (*Script, string, error) {
	entry := a.blobURLs.Resolve(href)
	if entry == nil {
		return nil, "", fmt.Errorf("%s: no such blob URL (it was never created, or was revoked)", href)
	}
	if kind == fetchWorker && !strings.HasPrefix(href, "blob:"+origin+"/") {
		return nil, "", fmt.Errorf("%s is not same-origin with the creator (origin %s)", href, origin)
	}
	prg, err := a.opts.Host.CompileClassic(href, encoding.UTF8Decode(entry.Data))
	if err != nil {
		return nil, "", &SyntaxError{Message: strings.TrimPrefix(err.Error(), "SyntaxError: ")}
	}
	return &Script{Program: prg}, href, nil
}

// loadFileScript loads a script from a file through the host.
func (a *agent) loadFileScript(u *url.URL) (*Script, string, error) {
	if u.Host != "" && u.Host != "localhost" {
		return nil, "", fmt.Errorf("%s: file: URLs with a host are not supported", u)
	}
	p := u.Path
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:] // "/C:/dir/file"
	}
	l, err := a.opts.Host.LoadFile(filepath.FromSlash(p))
	if err != nil {
		return nil, "", err
	}
	return l, u.String(), nil
}

// errNotJavaScript is the failure of a script fetched over HTTP whose MIME
// type is not a JavaScript MIME type.
var errNotJavaScript = errors.New("not a JavaScript MIME type")

// jsMIMETypes are the JavaScript MIME type essences
// (https://mimesniff.spec.whatwg.org/#javascript-mime-type).
var jsMIMETypes = map[string]bool{
	"application/ecmascript": true, "application/javascript": true, "application/x-ecmascript": true,
	"application/x-javascript": true, "text/ecmascript": true, "text/javascript": true,
	"text/javascript1.0": true, "text/javascript1.1": true, "text/javascript1.2": true,
	"text/javascript1.3": true, "text/javascript1.4": true, "text/javascript1.5": true,
	"text/jscript": true, "text/livescript": true, "text/x-ecmascript": true, "text/x-javascript": true,
}

// fetchHTTPScript fetches a script over HTTP(S), following redirects.
func (a *agent) fetchHTTPScript(ctx context.Context, u *url.URL, kind fetchKind, origin string) (*Script, string, error) {
	client := a.scriptClient()
	for hops := 0; ; hops++ {
		// A worker's script is fetched in "same-origin" mode, also after a
		// redirect; an opaque origin is the same as no other.
		if kind == fetchWorker && (origin == "null" || originOf(u.String()) != origin) {
			return nil, "", fmt.Errorf("%s is not same-origin with the creator (origin %s)", u, origin)
		}
		if err := a.opts.Network.Check(u); err != nil {
			return nil, "", err
		}
		req, err := http.NewRequestWithContext(network.WithURL(ctx, u), http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, "", err
		}
		req.Header.Set("Accept", "*/*")
		resp, err := client.Do(req)
		if err != nil {
			return nil, "", err
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode <= 399 && resp.StatusCode != 304 && loc != "" {
			resp.Body.Close()
			if hops == maxRedirects {
				return nil, "", fmt.Errorf("GET %s: too many redirects", u)
			}
			next, err := u.Parse(loc)
			if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
				return nil, "", fmt.Errorf("GET %s: bad redirect to %q", u, loc)
			}
			u = next
			continue
		}
		defer resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return nil, "", fmt.Errorf("GET %s: %s", u, resp.Status)
		}
		essence, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		if !jsMIMETypes[essence] {
			return nil, "", fmt.Errorf("GET %s: MIME type %q: %w", u, resp.Header.Get("Content-Type"), errNotJavaScript)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxScriptSize+1))
		if err != nil {
			return nil, "", fmt.Errorf("GET %s: %w", u, err)
		}
		if len(body) > maxScriptSize {
			return nil, "", fmt.Errorf("GET %s: the script is larger than %d bytes", u, maxScriptSize)
		}
		final := u.String()
		prg, err := a.opts.Host.CompileClassic(final, encoding.UTF8Decode(body))
		if err != nil {
			return nil, "", &SyntaxError{Message: strings.TrimPrefix(err.Error(), "SyntaxError: ")}
		}
		return &Script{Program: prg, isolates: ResponseIsolates(final, resp.Header, false)}, final, nil
	}
}

// originOf returns the serialization of the origin of the URL s, "null" for
// an opaque one.
func originOf(s string) string {
	rec, err := urlbinding.Parse(s, "")
	if err != nil {
		return "null"
	}
	return rec.Origin
}

// scriptClient returns an HTTP client that reaches servers through the
// runtime's network policy. Connections are not kept alive, so that nothing
// outlives a fetch.
func (a *agent) scriptClient() *http.Client {
	pol := a.opts.Network
	if pol == nil {
		pol = &network.Policy{}
	}
	tr := pol.Transport()
	tr.DisableKeepAlives = true
	return &http.Client{
		Transport: tr,
		Jar:       pol.Jar,
		// Redirects are followed by fetchHTTPScript, which checks each hop.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
