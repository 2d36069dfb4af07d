package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestFetchHTMLDecodes(t *testing.T) {
	pages := map[string]struct {
		contentType string
		body        []byte
		want        string
	}{
		"/meta-1252":   {"text/html", []byte("<meta charset=windows-1252><script>'\xe5\xe4\xf6'</script>"), "<meta charset=windows-1252><script>'åäö'</script>"},
		"/undeclared":  {"text/html", []byte("<script>'\xc3\xa5'</script>"), "<script>'å'</script>"},
		"/header-1252": {"text/html; charset=windows-1252", []byte("\xe5"), "å"},
		"/bom":         {"text/html; charset=windows-1252", []byte("\xef\xbb\xbf\xc3\xa5"), "å"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := pages[r.URL.Path]
		w.Header().Set("Content-Type", p.contentType)
		_, _ = w.Write(p.body)
	}))
	defer srv.Close()
	l := newLoader(srv.Client())
	for path, p := range pages {
		u, _ := url.Parse(srv.URL + path)
		got, _, err := l.fetchHTML(context.Background(), u)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got != p.want {
			t.Errorf("%s: got %q, want %q", path, got, p.want)
		}
	}
}
