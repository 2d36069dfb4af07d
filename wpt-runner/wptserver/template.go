package wptserver

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// subEnv is what a wptserve template ({{...}} in a .sub. file, a
// .sub.headers file or the sub pipe) can see: the server configuration and,
// when there is one, the request being answered.
type subEnv struct {
	hosts *hostTable
	ports Ports
	root  string

	// Request-dependent values; zero when there is no request.
	scheme   string
	hostname string
	port     int    // 0: the request named no port
	path     string // URL path, still percent-encoded
	rawQuery string
	header   http.Header
}

// subFunc is a callable template value such as uuid().
type subFunc func(args []string) (any, error)

// subGetter is an indexable template value computed per key, such as GET.
type subGetter func(key any) (any, error)

// substitute replaces every {{...}} in content, the way wptserve's sub pipe
// does (tools/wptserve/wptserve/pipes.py, "template"): an expression is
// "{{", any run of characters other than "}", then "}}"; its value must end
// up a string or an integer; when escapeHTML is set the value is escaped for
// HTML text and attributes.
func (e *subEnv) substitute(content []byte, escapeHTML bool) ([]byte, error) {
	var out bytes.Buffer
	vars := map[string]any{}
	i := 0
	for {
		j := bytes.Index(content[i:], []byte("{{"))
		if j < 0 {
			break
		}
		start := i + j
		end := bytes.IndexByte(content[start+2:], '}')
		if end < 0 {
			break // no "}" at all: no later "{{" can match either
		}
		end += start + 2
		if end+1 >= len(content) || content[end+1] != '}' {
			// Not an expression at start; a match may begin one byte later.
			out.Write(content[i : start+1])
			i = start + 1
			continue
		}
		out.Write(content[i:start])
		v, err := e.eval(string(content[start+2:end]), vars)
		if err != nil {
			return nil, err
		}
		if escapeHTML {
			out.WriteString(htmlEscape(v))
		} else {
			out.WriteString(v)
		}
		i = end + 2
	}
	out.Write(content[i:])
	return out.Bytes(), nil
}

type subTokenKind int

const (
	tokVar   subTokenKind = iota // "$name:" (text holds "$name")
	tokIdent                     // "name" or "$name"
	tokIndex                     // "[key]" (text holds key)
	tokArgs                      // "(a, b)" (text holds "a, b")
)

type subToken struct {
	kind subTokenKind
	text string
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// tokenizeSub splits an expression into tokens. Like the scanner wptserve
// uses, it stops silently at the first character no token can start with.
func tokenizeSub(s string) []subToken {
	var toks []subToken
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '$' || isWordByte(c):
			j := i
			if c == '$' {
				j++
			}
			k := j
			for k < len(s) && isWordByte(s[k]) {
				k++
			}
			if k == j {
				return toks // a lone "$"
			}
			if c == '$' && k < len(s) && s[k] == ':' {
				toks = append(toks, subToken{tokVar, s[i:k]})
				i = k + 1
				continue
			}
			toks = append(toks, subToken{tokIdent, s[i:k]})
			i = k
		case c == '[':
			k := strings.IndexByte(s[i:], ']')
			if k < 0 {
				return toks
			}
			toks = append(toks, subToken{tokIndex, s[i+1 : i+k]})
			i += k + 1
		case c == '(':
			k := strings.IndexByte(s[i:], ')')
			if k < 0 {
				return toks
			}
			toks = append(toks, subToken{tokArgs, s[i+1 : i+k]})
			i += k + 1
		default:
			return toks
		}
	}
	return toks
}

// splitSubArgs splits an argument list on commas and the whitespace after
// them; an empty list has no arguments.
func splitSubArgs(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.TrimLeft(parts[i], " \t\n\r\f\v")
	}
	return parts
}

// parseSubIndex turns an index token into an int when Python's int() would.
func parseSubIndex(s string) any {
	t := strings.TrimSpace(s)
	if n, err := strconv.Atoi(t); err == nil && t != "" {
		return n
	}
	return s
}

func (e *subEnv) eval(expr string, vars map[string]any) (string, error) {
	toks := tokenizeSub(expr)
	if len(toks) == 0 {
		return "", fmt.Errorf("template {{%s}}: no expression", expr)
	}
	variable := ""
	if toks[0].kind == tokVar {
		variable = toks[0].text
		toks = toks[1:]
		if len(toks) == 0 {
			return "", fmt.Errorf("template {{%s}}: nothing assigned to %s", expr, variable)
		}
	}
	if toks[0].kind != tokIdent {
		return "", fmt.Errorf("template {{%s}}: expected a name", expr)
	}
	value, err := e.lookup(toks[0].text, vars)
	if err != nil {
		return "", fmt.Errorf("template {{%s}}: %v", expr, err)
	}
	for _, t := range toks[1:] {
		switch t.kind {
		case tokIndex:
			value, err = subIndex(value, parseSubIndex(t.text))
		case tokArgs:
			f, ok := value.(subFunc)
			if !ok {
				err = fmt.Errorf("%T is not callable", value)
				break
			}
			value, err = f(splitSubArgs(t.text))
		default:
			err = fmt.Errorf("unexpected %q", t.text)
		}
		if err != nil {
			return "", fmt.Errorf("template {{%s}}: %v", expr, err)
		}
	}
	var s string
	switch v := value.(type) {
	case string:
		s = v
	case int:
		s = strconv.Itoa(v)
	default:
		return "", fmt.Errorf("template {{%s}}: value is not a string or number", expr)
	}
	if variable != "" {
		vars[variable] = s
	}
	return s, nil
}

func subIndex(value any, key any) (any, error) {
	switch v := value.(type) {
	case map[string]any:
		k, ok := key.(string)
		if !ok {
			return nil, fmt.Errorf("no key %v", key)
		}
		r, ok := v[k]
		if !ok {
			return nil, fmt.Errorf("no key %q", k)
		}
		return r, nil
	case []any:
		n, ok := key.(int)
		if !ok {
			return nil, fmt.Errorf("list index %q is not an integer", key)
		}
		if n < 0 {
			n += len(v)
		}
		if n < 0 || n >= len(v) {
			return nil, fmt.Errorf("list index %v out of range", key)
		}
		return v[n], nil
	case string:
		n, ok := key.(int)
		if !ok {
			return nil, fmt.Errorf("string index %q is not an integer", key)
		}
		r := []rune(v)
		if n < 0 {
			n += len(r)
		}
		if n < 0 || n >= len(r) {
			return nil, fmt.Errorf("string index %v out of range", key)
		}
		return string(r[n]), nil
	case subGetter:
		return v(key)
	}
	return nil, fmt.Errorf("%T cannot be indexed", value)
}

func stringMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func intList(p []int) []any {
	out := make([]any, len(p))
	for i, n := range p {
		out[i] = n
	}
	return out
}

// lookup resolves the first name of an expression, in wptserve's order:
// variables, functions, request data, then configuration.
func (e *subEnv) lookup(name string, vars map[string]any) (any, error) {
	if v, ok := vars[name]; ok {
		return v, nil
	}
	switch name {
	case "uuid":
		return subFunc(func(args []string) (any, error) {
			if len(args) != 0 {
				return nil, fmt.Errorf("uuid() takes no arguments")
			}
			return newUUID(), nil
		}), nil
	case "file_hash":
		return subFunc(e.fileHash), nil
	case "fs_path":
		return subFunc(e.fsPath), nil
	case "header_or_default":
		return subFunc(func(args []string) (any, error) {
			if len(args) != 2 {
				return nil, fmt.Errorf("header_or_default() takes 2 arguments")
			}
			if vs := e.header.Values(args[0]); len(vs) > 0 {
				return strings.Join(vs, ", "), nil
			}
			return args[1], nil
		}), nil
	case "supported_algorithms":
		return []any{"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}, nil
	case "headers":
		return subGetter(func(key any) (any, error) {
			k, ok := key.(string)
			if !ok {
				return nil, fmt.Errorf("header name %v is not a string", key)
			}
			vs := e.header.Values(k)
			if len(vs) == 0 {
				return nil, fmt.Errorf("no request header %q", k)
			}
			return strings.Join(vs, ", "), nil
		}), nil
	case "GET":
		q := parseQueryLatin1(e.rawQuery)
		return subGetter(func(key any) (any, error) {
			k, ok := key.(string)
			if !ok {
				return "", nil
			}
			for _, kv := range q {
				if kv[0] == k {
					return kv[1], nil
				}
			}
			return "", nil
		}), nil
	case "hosts", "all_domains":
		return map[string]any{
			"":    stringMap(e.hosts.allDomains("")),
			"alt": stringMap(e.hosts.allDomains("alt")),
		}, nil
	case "domains":
		return stringMap(e.hosts.allDomains("")), nil
	case "not_domains":
		return map[string]any{
			"":    stringMap(e.hosts.notDomains[""]),
			"alt": stringMap(e.hosts.notDomains["alt"]),
		}, nil
	case "host", "browser_host", "server_host":
		return e.hosts.primary, nil
	case "alternate_hosts":
		return map[string]any{"alt": e.hosts.alt}, nil
	case "ports":
		out := map[string]any{}
		for k, v := range e.ports.byScheme() {
			out[k] = intList(v)
		}
		return out, nil
	case "doc_root":
		return e.root, nil
	case "ws_doc_root":
		return filepath.Join(e.root, "websockets", "handlers"), nil
	case "location":
		if e.scheme == "" {
			return nil, fmt.Errorf("location needs a request")
		}
		port := "None"
		var portValue any = port
		if e.port != 0 {
			port = strconv.Itoa(e.port)
			portValue = e.port
		}
		query := "?" + e.rawQuery
		return map[string]any{
			"server":   e.scheme + "://" + e.hostname + ":" + port,
			"scheme":   e.scheme,
			"host":     e.hostname + ":" + port,
			"hostname": e.hostname,
			"port":     portValue,
			"path":     e.path,
			"pathname": e.path,
			"query":    query,
		}, nil
	case "url_base":
		return "/", nil
	}
	return nil, fmt.Errorf("undefined template variable %s", name)
}

// newUUID returns a random (version 4) UUID in its canonical spelling.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (e *subEnv) fileHash(args []string) (any, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("file_hash() takes 2 arguments")
	}
	var h hash.Hash
	switch args[0] {
	case "md5":
		h = md5.New()
	case "sha1":
		h = sha1.New()
	case "sha224":
		h = sha256.New224()
	case "sha256":
		h = sha256.New()
	case "sha384":
		h = sha512.New384()
	case "sha512":
		h = sha512.New()
	default:
		return nil, fmt.Errorf("unsupported hash algorithm %q", args[0])
	}
	p := filepath.Join(e.root, filepath.FromSlash(args[1]))
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("cannot open file for hash computation: %q", p)
	}
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

func (e *subEnv) fsPath(args []string) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("fs_path() takes 1 argument")
	}
	p := args[0]
	var rel string
	if strings.HasPrefix(p, "/") {
		rel = p[1:]
	} else {
		rel = path.Join(path.Dir(strings.TrimPrefix(e.path, "/")), p)
	}
	abs := filepath.Join(e.root, filepath.FromSlash(rel))
	r, err := filepath.Rel(e.root, abs)
	if err != nil || strings.Contains(r, "..") {
		return nil, fmt.Errorf("path %q is outside the WPT root", p)
	}
	return abs, nil
}

// htmlEscape escapes &, <, >, " and ' as wptserve's default escaping does.
func htmlEscape(s string) string {
	if !strings.ContainsAny(s, "&<>\"'") {
		return s
	}
	return htmlEscaper.Replace(s)
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#x27;")
