package wptserver

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
)

// pyHelper is the Go counterpart of a wptserve Python handler script's
// main(request, response).
type pyHelper func(s *Server, r *http.Request) (*response, error)

// pyHelpers maps the URL path of each Python script the tests
// request to its reimplementation. HANDLERS.md lists them.
var pyHelpers = map[string]pyHelper{
	"/websockets/cookies/support/set-cookie.py":                    pySetCookie,
	"/websockets/opening-handshake/resources/redirect_response.py": pyRedirectResponse,
	"/websockets/security/check.py":                                pySecurityCheck,
	"/fetch/api/resources/stash-put.py":                            pyStashPut,
	"/fetch/api/resources/stash-take.py":                           pyStashTake,
	"/fetch/api/resources/echo-content.py":                         pyEchoContent,
	"/encoding/resources/single-byte-raw.py":                       pyCharsetBody(allBytesBelowFF, false),
	"/encoding/resources/text-plain-charset.py":                    pyCharsetBody([]byte("hello encoding"), false),
	"/encoding/resources/text-html-meta-charset.py":                pyCharsetBody([]byte("hello encoding"), true),
}

// allBytesBelowFF is the body of single-byte-raw.py, Python's
// bytes(range(255)): the bytes 0x00 to 0xFE.
var allBytesBelowFF = func() []byte {
	b := make([]byte, 255)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}()

// pyCharsetBody returns the handler of encoding/resources/single-byte-raw.py,
// text-plain-charset.py (meta false) and text-html-meta-charset.py (meta
// true), which label body with the encoding label ?label=: text/plain with
// that charset parameter, or text/html with the label in a <meta charset>
// before the body. A missing label is an error, as request.GET.first's
// KeyError is.
func pyCharsetBody(body []byte, meta bool) pyHelper {
	return func(_ *Server, r *http.Request) (*response, error) {
		label, ok := firstQuery(parseQueryLatin1(r.URL.RawQuery), "label")
		if !ok {
			return nil, errors.New("missing label parameter")
		}
		resp := newResponse()
		if meta {
			resp.set("Content-Type", "text/html")
			resp.body = append([]byte(`<meta charset="`+label+`">`), body...)
		} else {
			resp.set("Content-Type", "text/plain;charset="+label)
			resp.body = body
		}
		return resp, nil
	}
}

// pySetCookie: websockets/cookies/support/set-cookie.py. The whole query,
// percent-decoded, becomes a Set-Cookie header; the body is empty text.
func pySetCookie(_ *Server, r *http.Request) (*response, error) {
	v, err := isomorphicEncode(percentDecode(r.URL.RawQuery))
	if err != nil {
		return nil, err
	}
	resp := newResponse()
	resp.set("Set-Cookie", v)
	resp.add("Content-Type", "text/plain")
	return resp, nil
}

// isomorphicEncode turns the UTF-8 text Python's unquote produces into
// bytes of the code points, failing on code points above U+00FF.
// Invalid UTF-8 becomes U+FFFD first, as unquote's "replace" does.
func isomorphicEncode(s string) (string, error) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return "", fmt.Errorf("character %U cannot be sent in a header", r)
		}
		b = append(b, byte(r))
	}
	return string(b), nil
}

// pyRedirectResponse: websockets/opening-handshake/resources/redirect_response.py.
// A "301 moved" to /echo with an empty body.
func pyRedirectResponse(_ *Server, _ *http.Request) (*response, error) {
	resp := &response{status: http.StatusMovedPermanently, reason: "moved"}
	resp.set("Location", "/echo")
	return resp, nil
}

// pySecurityCheck: websockets/security/check.py. "FAIL" if the request
// carries Sec-WebSocket-Key, "PASS" otherwise, with no Content-Type.
func pySecurityCheck(_ *Server, r *http.Request) (*response, error) {
	resp := newResponse()
	if _, ok := r.Header["Sec-Websocket-Key"]; ok {
		resp.body = []byte("FAIL")
	} else {
		resp.body = []byte("PASS")
	}
	return resp, nil
}

// urlDir is the directory of a URL path with a trailing slash, the stash
// path the fetch stash helpers use.
func urlDir(p string) string {
	d := path.Dir(p)
	if d == "/" || d == "." {
		return "/"
	}
	return d + "/"
}

// pyStashPut: fetch/api/resources/stash-put.py. Stores ?value= under
// ?key= for the script's directory and answers "done"; answers CORS
// preflights.
func pyStashPut(s *Server, r *http.Request) (*response, error) {
	resp := newResponse()
	if r.Method == http.MethodOptions {
		resp.set("Access-Control-Allow-Origin", "*")
		resp.set("Access-Control-Allow-Methods", "*")
		resp.set("Access-Control-Allow-Headers", "*")
		resp.body = []byte("done")
		return resp, nil
	}
	q := parseQueryLatin1(r.URL.RawQuery)
	if _, ok := firstQuery(q, "disallow_cross_origin"); !ok {
		resp.set("Access-Control-Allow-Origin", "*")
	} else if mode, _ := firstQuery(q, "mode"); mode != "no-cors" {
		// Upstream asserts on a misspelt parameter name here, so every
		// such request fails.
		return nil, errors.New("frame_origin check failed")
	}
	key, ok := firstQuery(q, "key")
	if !ok {
		return nil, errors.New("missing key parameter")
	}
	value, ok := firstQuery(q, "value")
	if !ok {
		return nil, errors.New("missing value parameter")
	}
	// The script stores the bytes decoded as Latin-1 (isomorphic_decode).
	value = latin1ToUTF8(value)
	if err := s.stash.put(urlDir(r.URL.Path), key, value); err != nil {
		return nil, err
	}
	resp.body = []byte("done")
	return resp, nil
}

func latin1ToUTF8(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

// pyStashTake: fetch/api/resources/stash-take.py. Takes ?key= from the
// script directory's stash and answers it as JSON (null when absent).
func pyStashTake(s *Server, r *http.Request) (*response, error) {
	q := parseQueryLatin1(r.URL.RawQuery)
	key, ok := firstQuery(q, "key")
	if !ok {
		return nil, errors.New("missing key parameter")
	}
	v, err := s.stash.take(urlDir(r.URL.Path), key)
	if err != nil {
		return nil, err
	}
	body, err := pyJSONEncode(v)
	if err != nil {
		return nil, err
	}
	resp := newResponse()
	resp.set("Access-Control-Allow-Origin", "*")
	resp.set("Content-Type", "application/json")
	resp.body = body
	return resp, nil
}

// maxEchoBody bounds the request body echo-content.py echoes.
const maxEchoBody = 64 << 20

// pyEchoContent: fetch/api/resources/echo-content.py. Answers the request
// body as text/plain, with the request's method, Content-Length and
// Content-Type (NO when absent) in X-Request-Method,
// X-Request-Content-Length and X-Request-Content-Type.
func pyEchoContent(_ *Server, r *http.Request) (*response, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxEchoBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxEchoBody {
		return nil, fmt.Errorf("request body over %d bytes", maxEchoBody)
	}
	headerOrNO := func(name string) string {
		if v, ok := r.Header[name]; ok && len(v) > 0 {
			return v[0]
		}
		return "NO"
	}
	resp := newResponse()
	resp.set("X-Request-Method", r.Method)
	resp.set("X-Request-Content-Length", headerOrNO("Content-Length"))
	resp.set("X-Request-Content-Type", headerOrNO("Content-Type"))
	// No content sniffing of the echo.
	resp.set("Content-Type", "text/plain")
	resp.body = body
	return resp, nil
}
