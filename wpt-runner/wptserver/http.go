package wptserver

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// httpHandler answers HTTP(S) requests like wptserve with the routes
// tools/serve/serve.py sets up for a plain checkout: forbidden paths, the
// Python helpers (reimplemented in Go, see pyhelpers.go), then static files.
type httpHandler struct {
	srv    *Server
	scheme string // "http" or "https"
}

// env returns the template environment of a request.
func (h *httpHandler) env(r *http.Request) *subEnv {
	host, port := splitHostPort(r.Host)
	return &subEnv{
		hosts:    h.srv.hosts,
		ports:    h.srv.ports,
		root:     h.srv.root,
		scheme:   h.scheme,
		hostname: strings.ToLower(host),
		port:     port,
		path:     r.URL.EscapedPath(),
		rawQuery: r.URL.RawQuery,
		header:   r.Header,
	}
}

// splitHostPort splits a Host header value; port is 0 when absent.
func splitHostPort(hostport string) (string, int) {
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return strings.Trim(hostport, "[]"), 0
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return host, 0
	}
	return host, n
}

func (h *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp := h.route(r)
	if err := resp.write(r.Context(), w, r.Method == http.MethodHead); err != nil {
		h.srv.logf("%s %s: writing response: %v", r.Method, r.URL, err)
	}
}

func (h *httpHandler) route(r *http.Request) *response {
	p := r.URL.Path
	if strings.HasPrefix(p, "/_certs/") || strings.HasPrefix(p, "/tools/") || p == "/results/" {
		return errorResponse(http.StatusNotFound, "")
	}
	env := h.env(r)
	if w, ok := workerWrapperFor(p); ok && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		return h.serveWorkerWrapper(r, env, w)
	}
	if strings.HasSuffix(p, ".py") {
		return h.python(r, env)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errorResponse(http.StatusNotFound, "")
	}
	if target, ok := aliases[p]; ok {
		r2 := r.Clone(r.Context())
		r2.URL.Path = target
		return h.file(r2, env)
	}
	return h.file(r, env)
}

// aliases are the paths wptserve serves from another file of the checkout
// (tools/serve/serve.py's routes).
var aliases = map[string]string{
	"/resources/WebIDLParser.js": "/resources/webidl2/lib/webidl2.js",
}

// python answers a request for a .py script with its Go reimplementation.
func (h *httpHandler) python(r *http.Request, env *subEnv) *response {
	helper, ok := pyHelpers[r.URL.Path]
	if !ok {
		fsPath, err := h.fsPath(r.URL.Path)
		if err != nil {
			return errorResponse(http.StatusNotFound, "")
		}
		if _, err := os.Stat(fsPath); err != nil {
			return errorResponse(http.StatusNotFound, "")
		}
		h.srv.logf("%s: no Go implementation of this Python script", r.URL.Path)
		return errorResponse(http.StatusInternalServerError, fmt.Sprintf("no Go implementation of %s", r.URL.Path))
	}
	resp, err := helper(h.srv, r)
	if err != nil {
		h.srv.logf("%s: %v", r.URL.Path, err)
		return errorResponse(http.StatusInternalServerError, err.Error())
	}
	if err := applyPipes(pipeline("", r.URL.RawQuery), env, resp); err != nil {
		h.srv.logf("%s: %v", r.URL.Path, err)
		return errorResponse(http.StatusInternalServerError, err.Error())
	}
	return resp
}

// fsPath maps a URL path to a file under the root, refusing any path with
// "..", as wptserve's filesystem_path does.
func (h *httpHandler) fsPath(urlPath string) (string, error) {
	p := strings.TrimPrefix(urlPath, "/")
	if strings.Contains(p, "..") {
		return "", errors.New("path contains ..")
	}
	return filepath.Join(h.srv.root, filepath.FromSlash(p)), nil
}

// builtinFiles stand in for checkout files the websockets tests fetch that
// a partial checkout may lack; a file on disk wins.
var builtinFiles = map[string]string{
	"/common/blank.html": "",
}

func (h *httpHandler) file(r *http.Request, env *subEnv) *response {
	fsPath, err := h.fsPath(r.URL.Path)
	if err != nil {
		return errorResponse(http.StatusNotFound, "")
	}
	info, err := os.Stat(fsPath)
	if err == nil && info.IsDir() {
		return h.directory(r, fsPath)
	}
	var data []byte
	if err == nil {
		data, err = os.ReadFile(fsPath)
	}
	if err != nil {
		content, ok := builtinFiles[r.URL.Path]
		if !errors.Is(err, fs.ErrNotExist) || !ok {
			return errorResponse(http.StatusNotFound, "")
		}
		data = []byte(content)
	}
	resp := newResponse()
	resp.body = data
	hdrs, err := loadHeaders(env, fsPath)
	if err != nil {
		h.srv.logf("%s: %v", r.URL.Path, err)
		return errorResponse(http.StatusInternalServerError, err.Error())
	}
	if !hasHeader(hdrs, "Content-Type") {
		resp.add("Content-Type", contentType(fsPath))
	}
	resp.headers = append(resp.headers, hdrs...)
	if err := applyPipes(pipeline(fsPath, r.URL.RawQuery), env, resp); err != nil {
		h.srv.logf("%s: %v", r.URL.Path, err)
		return errorResponse(http.StatusInternalServerError, err.Error())
	}
	return resp
}

func hasHeader(hdrs [][2]string, name string) bool {
	for _, kv := range hdrs {
		if strings.EqualFold(kv[0], name) {
			return true
		}
	}
	return false
}

// loadHeaders reads the __dir__ and per-file headers files of fsPath,
// preferring the .sub.headers spelling (which is substituted, unescaped).
func loadHeaders(env *subEnv, fsPath string) ([][2]string, error) {
	var out [][2]string
	for _, base := range []string{filepath.Join(filepath.Dir(fsPath), "__dir__"), fsPath} {
		data, err := os.ReadFile(base + ".sub.headers")
		sub := err == nil
		if !sub {
			data, err = os.ReadFile(base + ".headers")
			if err != nil {
				continue
			}
		}
		if sub {
			if data, err = env.substitute(data, false); err != nil {
				return nil, err
			}
		}
		for _, line := range bytes.FieldsFunc(data, func(r rune) bool { return r == '\n' || r == '\r' }) {
			name, value, _ := bytes.Cut(line, []byte(":"))
			out = append(out, [2]string{string(bytes.TrimSpace(name)), string(bytes.TrimSpace(value))})
		}
	}
	return out, nil
}

// contentTypes is wptserve's extension table (tools/wptserve/wptserve/constants.py).
var contentTypes = map[string]string{
	"json": "application/json", "wasm": "application/wasm",
	"xht": "application/xhtml+xml", "xhtm": "application/xhtml+xml", "xhtml": "application/xhtml+xml",
	"xml": "application/xml", "xpi": "application/x-xpinstall",
	"m4a": "audio/mp4", "mp3": "audio/mpeg", "oga": "audio/ogg", "weba": "audio/webm", "wav": "audio/x-wav",
	"avif": "image/avif", "bmp": "image/bmp", "gif": "image/gif", "jpg": "image/jpeg", "jpeg": "image/jpeg",
	"png": "image/png", "svg": "image/svg+xml",
	"manifest": "text/cache-manifest", "css": "text/css", "event_stream": "text/event-stream",
	"htm": "text/html", "html": "text/html", "js": "text/javascript", "mjs": "text/javascript",
	"txt": "text/plain", "md": "text/plain", "vtt": "text/vtt", "mp4": "video/mp4", "m4v": "video/mp4",
	"webm": "video/webm",
}

func contentType(p string) string {
	if t, ok := contentTypes[strings.TrimPrefix(filepath.Ext(p), ".")]; ok {
		return t
	}
	return "application/octet-stream"
}

// directory answers a request for a directory: a redirect adding the
// trailing slash, or an HTML listing.
func (h *httpHandler) directory(r *http.Request, fsPath string) *response {
	if !strings.HasSuffix(r.URL.Path, "/") {
		resp := &response{status: http.StatusMovedPermanently}
		loc := r.URL.EscapedPath() + "/"
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		resp.set("Location", loc)
		return resp
	}
	entries, err := os.ReadDir(fsPath)
	if err != nil {
		return errorResponse(http.StatusNotFound, "")
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	title := html.EscapeString(r.URL.Path)
	fmt.Fprintf(&b, "<!doctype html>\n<title>Directory listing for %s</title>\n<h1>Directory listing for %s</h1>\n<ul>\n", title, title)
	if r.URL.Path != "/" {
		fmt.Fprintf(&b, "<li class=\"dir\"><a href=\"%s\">..</a></li>\n", html.EscapeString(path.Dir(strings.TrimSuffix(r.URL.Path, "/"))+"/"))
	}
	for _, n := range names {
		class := "file"
		if strings.HasSuffix(n, "/") {
			class = "dir"
		}
		fmt.Fprintf(&b, "<li class=\"%s\"><a href=\"%s\">%s</a></li>\n", class, html.EscapeString((&url.URL{Path: n}).EscapedPath()), html.EscapeString(n))
	}
	b.WriteString("</ul>\n")
	resp := newResponse()
	resp.set("Content-Type", "text/html")
	resp.body = b.Bytes()
	return resp
}
