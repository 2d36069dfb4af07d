package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/net/html/charset"

	"github.com/dop251/goja"
	"golang.org/x/text/encoding/htmlindex"

	"github.com/wsjs/wsjs/bindings/worker"
	"github.com/wsjs/wsjs/runtime"
	"github.com/wsjs/wsjs/wpt-runner/manifest"
)

// A script is one script of a page, ready to run.
type script struct {
	name    string        // its URL, for stack traces and messages
	prg     *goja.Program // nil if it cannot run
	problem string        // why it cannot run: a syntax error, a module script
	syntax  bool          // problem is a syntax error (reported as SyntaxError)
	// harness and report mark /resources/testharness.js and
	// /resources/testharnessreport.js, which the runner hooks into.
	harness, report bool
	// skipped is set for a script that is not run at all (failed fetch, data
	// block), with the reason in problem for the log.
	skipped bool
}

// A page is a test's HTML page, loaded.
type page struct {
	url     *url.URL
	title   string
	scripts []script
	// remote marks the generated page of a worker test, whose tests all
	// come from the worker through fetch_tests_from_worker.
	remote bool
	// isolated reports that the page's response makes it cross-origin
	// isolated (worker.ResponseIsolates).
	isolated bool
}

// loader fetches pages and scripts and compiles scripts, sharing compiled
// programs between tests (a goja.Program is not tied to a runtime).
type loader struct {
	client *http.Client

	mu       sync.Mutex
	programs map[[32]byte]*compiled
}

type compiled struct {
	once sync.Once
	prg  *goja.Program
	err  error
}

func newLoader(client *http.Client) *loader {
	return &loader{client: client, programs: map[[32]byte]*compiled{}}
}

// compile compiles src as a classic script named name, once per name and
// content.
func (l *loader) compile(name, src string) (*goja.Program, error) {
	h := sha256.New()
	io.WriteString(h, name)
	h.Write([]byte{0})
	io.WriteString(h, src)
	var key [32]byte
	h.Sum(key[:0])
	l.mu.Lock()
	c := l.programs[key]
	if c == nil {
		c = &compiled{}
		l.programs[key] = c
	}
	l.mu.Unlock()
	c.once.Do(func() { c.prg, c.err = runtime.CompileClassic(name, src) })
	return c.prg, c.err
}

// fetch GETs u and returns its body decoded to a string (a BOM first, then
// the charset of Content-Type, then UTF-8, as HTML decodes a classic
// script), failing for a network error or a status that is not ok.
func (l *loader) fetch(ctx context.Context, u *url.URL) (string, error) {
	body, h, err := l.get(ctx, u)
	if err != nil {
		return "", err
	}
	return decode(body, h.Get("Content-Type"))
}

// fetchHTML GETs the HTML document at u and decodes it as HTML does ("determining the
// character encoding",
// https://html.spec.whatwg.org/multipage/parsing.html#determining-the-character-encoding:
// BOM, Content-Type, then the <meta charset> prescan), with UTF-8 when nothing declares
// an encoding.
// It also returns the response's header.
func (l *loader) fetchHTML(ctx context.Context, u *url.URL) (string, http.Header, error) {
	body, h, err := l.get(ctx, u)
	if err != nil {
		return "", nil, err
	}
	contentType := h.Get("Content-Type")
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" || name == "utf-16le" || name == "utf-16be" || !certain && !declaresCharset(body) {
		// decode strips the byte order mark these may start with. When nothing
		// declared an encoding, the default of an en-US browser would be
		// windows-1252, but WPT's undeclared files are UTF-8.
		s, err := decode(body, contentType)
		return s, h, err
	}
	b, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return "", nil, fmt.Errorf("GET %s: decoding %s: %w", u, name, err)
	}
	return string(b), h, nil
}

// declaresCharset reports whether the first 1024 bytes, which the <meta> prescan
// reads, mention a charset.
func declaresCharset(body []byte) bool {
	return bytes.Contains(bytes.ToLower(body[:min(len(body), 1024)]), []byte("charset"))
}

// get GETs u and returns its body and header, failing for a network error or a
// status that is not ok.
func (l *loader) get(ctx context.Context, u *url.URL) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return body, resp.Header, nil
}

// pageHeader returns the header of the response of the page of t at u. A
// generated page (.any.js, .window.js, .worker.js) takes its headers from
// the headers files of its source file and the pipes of its query, as
// wptserve's wrapper handlers do: the server's response for the source file
// at u's query has them.
func (l *loader) pageHeader(ctx context.Context, t manifest.Test, u *url.URL) (http.Header, error) {
	src := *u
	src.Path, src.RawPath, src.Fragment = "/"+t.File, "", ""
	_, h, err := l.get(ctx, &src)
	return h, err
}

func decode(body []byte, contentType string) (string, error) {
	switch {
	case bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")):
		return string(body[3:]), nil
	case bytes.HasPrefix(body, []byte("\xFE\xFF")), bytes.HasPrefix(body, []byte("\xFF\xFE")):
		label := "utf-16be"
		if body[0] == 0xFF {
			label = "utf-16le"
		}
		return decodeWith(label, body[2:])
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		if s, err := decodeWith(params["charset"], body); err == nil {
			return s, nil
		}
	}
	return string(body), nil
}

func decodeWith(label string, body []byte) (string, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return "", err
	}
	b, err := enc.NewDecoder().Bytes(body)
	return string(b), err
}

// load builds the page of test t at u: the generated page of a .any.js,
// .window.js or .worker.js test, or the HTML file fetched from the server.
// Every script is fetched and compiled before the page runs, as if all were
// in a browser's cache.
func (l *loader) load(ctx context.Context, t manifest.Test, u *url.URL) (*page, error) {
	var html string
	var h http.Header
	var err error
	if gen, ok := t.Page(); ok {
		html = string(gen)
		// A page whose headers cannot be had is one without them: its
		// scripts, fetched from the same place, fail in its run.
		h, _ = l.pageHeader(ctx, t, u)
	} else if html, h, err = l.fetchHTML(ctx, u); err != nil {
		return nil, err
	}
	doc := manifest.ParseHTML([]byte(html))
	p := &page{url: u, title: doc.Title, remote: remoteTests(t), isolated: worker.ResponseIsolates(u.String(), h, true)}
	base := u
	if doc.Base != "" {
		if b, err := u.Parse(strings.TrimSpace(doc.Base)); err == nil {
			base = b
		}
	}
	type fetched struct {
		src string
		err error
	}
	// Fetch the external scripts in parallel, keeping document order.
	results := make([]chan fetched, len(doc.Scripts))
	urls := make([]*url.URL, len(doc.Scripts))
	for i, s := range doc.Scripts {
		if !s.HasSrc || s.Kind() != manifest.Classic {
			continue
		}
		su, err := base.Parse(strings.Trim(s.Src, " \t\n\f\r"))
		ch := make(chan fetched, 1)
		results[i] = ch
		if err != nil {
			ch <- fetched{err: fmt.Errorf("script src %q: %w", s.Src, err)}
			continue
		}
		su.Fragment = ""
		urls[i] = su
		if isHarnessURL(su, "/resources/testharnessreport.js") {
			ch <- fetched{} // replaced by the runner's reporter
			continue
		}
		go func() {
			src, err := l.fetch(ctx, su)
			ch <- fetched{src, err}
		}()
	}
	for i, s := range doc.Scripts {
		var sc script
		switch s.Kind() {
		case manifest.DataBlock, manifest.ImportMap:
			continue
		case manifest.Module:
			sc = script{name: u.String(), problem: "module scripts are not supported by this runner"}
			if s.HasSrc {
				sc.name = s.Src
			}
			p.scripts = append(p.scripts, sc)
			continue
		}
		if !s.HasSrc {
			// Leading newlines make positions in the inline script those
			// of the page.
			name := u.String()
			src := strings.Repeat("\n", s.Line-1) + s.Text
			prg, err := l.compile(name, src)
			p.scripts = append(p.scripts, compiledScript(name, prg, err))
			continue
		}
		f := <-results[i]
		if f.err != nil {
			p.scripts = append(p.scripts, script{name: s.Src, skipped: true, problem: f.err.Error()})
			continue
		}
		su := urls[i]
		switch {
		case isHarnessURL(su, "/resources/testharnessreport.js"):
			p.scripts = append(p.scripts, script{name: su.String(), report: true})
			continue
		}
		prg, err := l.compile(su.String(), f.src)
		sc = compiledScript(su.String(), prg, err)
		sc.harness = isHarnessURL(su, "/resources/testharness.js")
		p.scripts = append(p.scripts, sc)
	}
	return p, nil
}

// remoteTests reports whether the page of t is a generated one that runs the
// test in a worker and collects its results.
func remoteTests(t manifest.Test) bool {
	switch {
	case t.Type == manifest.WorkerJS:
		return true
	case t.Type != manifest.AnyJS:
		return false
	}
	switch t.Global {
	case manifest.DedicatedWorker, manifest.DedicatedWorkerModule, manifest.SharedWorker,
		manifest.SharedWorkerModule, manifest.ServiceWorker, manifest.ServiceWorkerModule:
		return true
	}
	return false
}

func compiledScript(name string, prg *goja.Program, err error) script {
	if err != nil {
		return script{name: name, problem: strings.TrimPrefix(err.Error(), "SyntaxError: "), syntax: true}
	}
	return script{name: name, prg: prg}
}

// isHarnessURL reports whether u is the harness file at path on any origin.
func isHarnessURL(u *url.URL, path string) bool {
	return u.Path == path && u.RawQuery == ""
}
