package worker

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/network"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
)

// fakeHost loads and compiles scripts; it makes no runtimes.
type fakeHost struct{ loaded []string }

func (h *fakeHost) NewChild(ChildOptions) (Child, error) { return nil, errors.New("no runtimes") }
func (h *fakeHost) Uncaught(ErrorReport)                 {}

func (h *fakeHost) LoadFile(path string) (*Script, error) {
	h.loaded = append(h.loaded, path)
	if strings.HasSuffix(path, "bad.js") {
		return nil, &SyntaxError{Message: path + ": does not compile"}
	}
	prg, err := goja.Compile(path, "1", false)
	return &Script{Program: prg}, err
}

func (h *fakeHost) CompileClassic(url, src string) (*goja.Program, error) {
	return goja.Compile(url, src, false)
}

func TestFetchScript(t *testing.T) {
	var other *httptest.Server
	mux := http.NewServeMux()
	serve := func(path, typ, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", typ)
			fmt.Fprint(w, body)
		})
	}
	serve("/w.js", "text/javascript; charset=latin1", `var x = 1;`)
	serve("/data.json", "application/json", `{}`)
	serve("/syntax.js", "text/javascript", `let let = 1;`)
	mux.HandleFunc("/to-w.js", func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, "/w.js", http.StatusFound)
	})
	mux.HandleFunc("/to-other.js", func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, other.URL+"/w.js", http.StatusFound)
	})
	mux.HandleFunc("/loop.js", func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, "/loop.js", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	other = httptest.NewServer(mux)
	defer other.Close()

	store := blob.URLStoreOf(bindings.NewEnv(nil, nil))
	origin := originOf(srv.URL)
	tests := []struct {
		name   string
		url    string
		kind   fetchKind
		module bool
		final  string // the URL after redirects, if fetched
		err    string // a substring of the error, if it fails
		syntax bool   // the error is a *SyntaxError
	}{
		{name: "script", url: srv.URL + "/w.js", final: srv.URL + "/w.js"},
		{name: "redirect", url: srv.URL + "/to-w.js", final: srv.URL + "/w.js"},
		{name: "redirect loop", url: srv.URL + "/loop.js", err: "too many redirects"},
		{name: "cross-origin worker", url: other.URL + "/w.js", err: "not same-origin"},
		{name: "redirected cross-origin", url: srv.URL + "/to-other.js", err: "not same-origin"},
		{name: "cross-origin import", url: other.URL + "/w.js", kind: fetchImported, final: other.URL + "/w.js"},
		{name: "not found", url: srv.URL + "/missing.js", err: "404"},
		{name: "not JavaScript", url: srv.URL + "/data.json", err: "not a JavaScript MIME type"},
		{name: "syntax error", url: srv.URL + "/syntax.js", syntax: true},
		{name: "module over HTTP", url: srv.URL + "/w.js", module: true, err: "file: URLs"},
		{name: "file", url: "file:///dir/w.js", final: "file:///dir/w.js"},
		{name: "file that does not compile", url: "file:///dir/bad.js", syntax: true},
		{name: "file with a host", url: "file://example.com/w.js", err: "with a host"},
		{name: "unknown blob", url: "blob:" + origin + "/nothing", err: "no such blob URL"},
		{name: "data", url: "data:text/javascript,1", err: "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &agent{opts: Options{Host: &fakeHost{}}, blobURLs: store}
			rec, err := urlbinding.Parse(tt.url, "")
			if err != nil {
				t.Fatal(err)
			}
			s, final, err := a.fetchScript(context.Background(), rec, tt.kind, tt.module, origin)
			var se *SyntaxError
			switch {
			case tt.syntax:
				if !errors.As(err, &se) {
					t.Errorf("error %v, want a *SyntaxError", err)
				}
			case tt.err != "":
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want one with %q", err, tt.err)
				}
				if errors.As(err, &se) {
					t.Errorf("error %v is a *SyntaxError", err)
				}
			case err != nil:
				t.Errorf("error %v", err)
			case s == nil || s.Program == nil || final != tt.final:
				t.Errorf("script %v at %q, want one at %q", s, final, tt.final)
			}
		})
	}
}

func TestFetchScriptPolicy(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/to-w.js" {
			http.Redirect(w, req, "/w.js", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `1`)
	}))
	defer srv.Close()
	var asked []string
	deny := ""
	a := &agent{opts: Options{Host: &fakeHost{}, Network: &network.Policy{Allow: func(u *url.URL, addr netip.AddrPort) error {
		asked = append(asked, fmt.Sprintf("%s %t", u.Path, addr.IsValid()))
		if u.Path == deny && addr.IsValid() {
			return errors.New("denied")
		}
		return nil
	}}}}
	tests := []struct {
		deny  string
		asked string
		err   bool
	}{
		{asked: "/to-w.js false,/to-w.js true,/w.js false,/w.js true"},
		{deny: "/w.js", asked: "/to-w.js false,/to-w.js true,/w.js false,/w.js true", err: true},
		{deny: "/to-w.js", asked: "/to-w.js false,/to-w.js true", err: true},
	}
	for _, tt := range tests {
		asked, deny = nil, tt.deny
		rec, _ := urlbinding.Parse(srv.URL+"/to-w.js", "")
		_, _, err := a.fetchScript(context.Background(), rec, fetchWorker, false, originOf(srv.URL))
		if (err != nil) != tt.err || (err != nil && !strings.Contains(err.Error(), "denied")) {
			t.Errorf("deny %q: error %v", tt.deny, err)
		}
		if got := strings.Join(asked, ","); got != tt.asked {
			t.Errorf("deny %q: Allow was asked %s, want %s", tt.deny, got, tt.asked)
		}
	}
}
