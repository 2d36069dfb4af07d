package npm_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/bindings/websocket"
	"github.com/wsjs/wsjs/runtime"
)

// Each library's client runs in wsjs against its server in node. Expected lines may hold
// <name> placeholders: <token> is the value of the X-Wsjs-Run header the runtime adds to
// its handshakes (so the server proves the connection came from wsjs's WebSocket), and
// any other name matches a value that must be the same wherever the name appears, on
// either side.
var libraries = []struct {
	dir        string
	serverArgs []string // for server.cjs
	script     string   // the client script; empty means client.ts
	url        string   // the client's argument; %d is the server's port
	client     []string
	server     []string // after the {"port":N} line
}{
	{
		dir: "graphql-ws",
		url: "ws://127.0.0.1:%d/graphql",
		client: []string{
			`"connected" "graphql-transport-ws"`,
			`"reverse" {"data":{"reverse":"lqhparg → sjsw"}}`,
			`"header" {"data":{"header":"<token>"}}`,
			`"countdown" {"data":{"countdown":3}}`,
			`"countdown" {"data":{"countdown":2}}`,
			`"countdown" {"data":{"countdown":1}}`,
			`"rejected" ["Cannot query field \"nope\" on type \"Query\"."]`,
			`"closed" 1000 true`,
		},
		server: []string{
			`{"event":"connect","protocol":"graphql-transport-ws","origin":"null","run":"<token>","params":{"client":"wsjs"}}`,
			`{"event":"subscribe","query":"query ($t: String!) { reverse(text: $t) }"}`,
			`{"event":"complete"}`,
			`{"event":"subscribe","query":"{ header(name: \"X-Wsjs-Run\") }"}`,
			`{"event":"complete"}`,
			`{"event":"subscribe","query":"subscription { countdown(from: 3) }"}`,
			`{"event":"complete"}`,
			`{"event":"subscribe","query":"{ nope }"}`,
			`{"event":"close","code":1000,"reason":"Normal Closure"}`,
		},
	},
	{
		dir: "socket.io",
		url: "http://127.0.0.1:%d",
		client: []string{
			`"welcome" "<sid>" true "websocket"`,
			`"echo" {"text":"héllo","list":[1,2.5,null],"nested":{"ok":true}}`,
			`"reverse" "[object ArrayBuffer]" [250,3,2,1]`,
			`"blob" 10`,
			`"announce" "<sid> joined lobby"`,
			`"room" 1`,
			`"disconnect" "io server disconnect" false`,
		},
		server: []string{
			`{"event":"engine","transport":"websocket"}`,
			`{"event":"connection","id":"<sid>","transport":"websocket","origin":"null","run":"<token>","auth":{"user":"wsjs"}}`,
			`{"event":"echo","value":{"text":"héllo","list":[1,2.5,null],"nested":{"ok":true}}}`,
			`{"event":"reverse","bytes":[1,2,3,250]}`,
			`{"event":"blob","text":"blob bytes"}`,
			`{"event":"disconnect","reason":"server namespace disconnect"}`,
		},
	},
	{
		// The default transports: long-polling through XMLHttpRequest, then WebSocket. The
		// polling requests do not carry the WebSocket header, and the upgrade may be over
		// before the server handles the namespace connection.
		dir:        "socket.io",
		serverArgs: []string{"polling"},
		script:     "upgrade.ts",
		url:        "http://127.0.0.1:%d",
		client: []string{
			`"welcome" "<sid>" true`,
			`"upgrade" "websocket"`,
			`"echo" "over websocket"`,
			`"disconnect" "io server disconnect"`,
		},
		server: []string{
			`{"event":"engine","transport":"polling"}`,
			`{"event":"connection","id":"<sid>","transport":"<transport>","origin":"null","auth":{}}`,
			`{"event":"upgrade","transport":"websocket"}`,
			`{"event":"echo","value":"over websocket"}`,
			`{"event":"disconnect","reason":"server namespace disconnect"}`,
		},
	},
	{
		dir: "partysocket",
		url: "127.0.0.1:%d",
		client: []string{
			`"open" 1 true "/parties/main/lobby"`,
			`"message" "conn 1: ping 1"`,
			`"close" 4000 "go away"`,
			`"open" 2 true "/parties/main/lobby"`,
			`"message" "conn 2: ping 2"`,
			`"close" 1000 "done"`,
		},
		server: []string{
			// The reconnection keeps the connection id partysocket chose.
			`{"event":"open","conn":1,"url":"/parties/main/lobby?_pk=<pk>","origin":"null","run":"<token>"}`,
			`{"event":"message","conn":1,"text":"ping 1","isBinary":false}`,
			`{"event":"close","conn":1,"code":4000,"reason":""}`,
			`{"event":"open","conn":2,"url":"/parties/main/lobby?_pk=<pk>","origin":"null","run":"<token>"}`,
			`{"event":"message","conn":2,"text":"ping 2","isBinary":false}`,
			`{"event":"close","conn":2,"code":1000,"reason":"done"}`,
		},
	},
}

// budget bounds TestLibraries as a whole, installing the packages included: the
// libraries run in parallel, and bundling them under the race detector on a busy
// machine is what takes longest.
const budget = 55 * time.Second

func TestLibraries(t *testing.T) {
	deadline := time.Now().Add(budget)
	if d, ok := t.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	t.Cleanup(cancel) // after the parallel subtests, unlike a deferred call
	modules := nodeModules(ctx, t)
	token := randomToken(t)
	for _, lib := range libraries {
		script := lib.script
		if script == "" {
			script = "client.ts"
		}
		t.Run(lib.dir+"/"+script, func(t *testing.T) {
			t.Parallel()
			srv, port := startServer(ctx, t, modules, filepath.Join(lib.dir, "server.cjs"), lib.serverArgs...)

			var stdout, stderr bytes.Buffer
			var logMu sync.Mutex
			ended := false // t.Logf must not be called once the test has ended
			rt, err := runtime.New(runtime.Options{
				Stdout:      &stdout,
				Stderr:      &stderr,
				ModulePaths: []string{modules},
				Args:        []string{fmt.Sprintf(lib.url, port)},
				WebSocket:   websocket.Options{Header: http.Header{"X-Wsjs-Run": {token}}},
				Network: network.Policy{
					// Why a connection failed, which scripts never learn, for the test's log.
					Log: func(url string, err error) {
						logMu.Lock()
						defer logMu.Unlock()
						if !ended {
							t.Logf("WebSocket %s: %v", url, err)
						}
					},
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				rt.Close()
				logMu.Lock()
				ended = true
				logMu.Unlock()
			}()
			if err := rt.RunFile(ctx, filepath.Join(lib.dir, script)); err != nil {
				t.Fatalf("client: %v (the test has %v in all)\nclient output:\n%s%s\nserver errors:\n%s", err, budget, &stdout, &stderr, srv.stderr())
			}
			if stderr.Len() > 0 {
				t.Errorf("client wrote to stderr:\n%s", &stderr)
			}

			vars := map[string]string{"token": token}
			matchLines(t, "client", splitLines(stdout.String()), lib.client, vars)
			matchLines(t, "server", srv.finish(ctx, t, len(lib.server)), lib.server, vars)
		})
	}
}

// matchLines checks got against want line by line, binding want's placeholders in vars.
func matchLines(t *testing.T, side string, got, want []string, vars map[string]string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = matchLine(got[i], want[i], vars)
	}
	if !ok {
		t.Errorf("%s lines:\n%s\nwant:\n%s\n(placeholders: %v)", side, strings.Join(got, "\n"), strings.Join(want, "\n"), vars)
	}
}

var placeholder = regexp.MustCompile(`<(\w+)>`)

// matchLine reports whether got is want with each placeholder replaced by its value in
// vars, or, for a name not bound yet, by a run of characters other than quotes and
// spaces, which it then binds.
func matchLine(got, want string, vars map[string]string) bool {
	var pattern strings.Builder
	pattern.WriteString("^")
	var names []string
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(want, -1) {
		pattern.WriteString(regexp.QuoteMeta(want[last:m[0]]))
		name := want[m[2]:m[3]]
		if v, ok := vars[name]; ok {
			pattern.WriteString(regexp.QuoteMeta(v))
		} else {
			pattern.WriteString(`([^"\s]+)`)
			names = append(names, name)
		}
		last = m[1]
	}
	pattern.WriteString(regexp.QuoteMeta(want[last:]) + "$")
	sub := regexp.MustCompile(pattern.String()).FindStringSubmatch(got)
	if sub == nil {
		return false
	}
	for i, name := range names {
		if v, ok := vars[name]; ok && v != sub[i+1] {
			return false // the same name twice on one line, with different values
		}
		vars[name] = sub[i+1]
	}
	return true
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func randomToken(t *testing.T) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// server is a node process running one of the servers. It prints {"port":N} once it
// listens, then one line per event, and exits when its standard input is closed.
type server struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string // closed at the end of its output
	errs  lockedBuffer

	stopOnce sync.Once
	rest     []string // lines printed after those finish waited for
}

func startServer(ctx context.Context, t *testing.T, modules, script string, args ...string) (*server, int) {
	t.Helper()
	s := &server{lines: make(chan string)}
	s.cmd = exec.CommandContext(ctx, "node", append([]string{script}, args...)...)
	// Plain require() finds the packages in NODE_PATH, the cache npm ci installed to.
	s.cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	s.cmd.Stderr = &s.errs
	s.cmd.WaitDelay = 5 * time.Second
	var err error
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("node %s: %v", script, err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	t.Cleanup(func() { s.stop() })

	first, ok := s.next(ctx)
	var hello struct{ Port int }
	if !ok || json.Unmarshal([]byte(first), &hello) != nil || hello.Port == 0 {
		t.Fatalf("node %s: want {\"port\":N} first, got %q (ended: %v)\n%s", script, first, !ok, s.stderr())
	}
	return s, hello.Port
}

// next returns the next line of output, or false at its end or when ctx is done.
func (s *server) next(ctx context.Context) (string, bool) {
	select {
	case line, ok := <-s.lines:
		return line, ok
	case <-ctx.Done():
		return "", false
	}
}

// finish waits for n more lines, stops the server and returns them followed by any
// lines it printed before exiting.
func (s *server) finish(ctx context.Context, t *testing.T, n int) []string {
	t.Helper()
	var got []string
	for len(got) < n {
		line, ok := s.next(ctx)
		if !ok {
			t.Errorf("server: output ended after %d of %d lines (%v)\n%s", len(got), n, ctx.Err(), s.stderr())
			break
		}
		got = append(got, line)
	}
	s.stop()
	return append(got, s.rest...)
}

// stop closes the server's standard input, so that it exits, collects what it still
// prints and waits for it; the context kills it if it does not exit.
func (s *server) stop() {
	s.stopOnce.Do(func() {
		s.stdin.Close()
		for line := range s.lines {
			s.rest = append(s.rest, line)
		}
		_ = s.cmd.Wait()
	})
}

func (s *server) stderr() string { return s.errs.String() }

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

var modules struct {
	once      sync.Once
	dir, skip string
	err       error
}

// nodeModules returns the node_modules directory holding the packages of
// package-lock.json, installing them first if needed; it skips the test when node or
// npm is missing or the npm registry cannot be reached.
func nodeModules(ctx context.Context, t *testing.T) string {
	t.Helper()
	modules.once.Do(func() { modules.dir, modules.skip, modules.err = install(ctx) })
	if modules.skip != "" {
		t.Skip(modules.skip)
	}
	if modules.err != nil {
		t.Fatal(modules.err)
	}
	return modules.dir
}

// install runs npm ci in a directory of the cache named after the hash of package.json
// and package-lock.json, unless an earlier run did. The install happens in a temporary
// directory renamed into place when complete, so concurrent runs never see half of one.
func install(ctx context.Context) (dir, skip string, err error) {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Sprintf("%s not found: the npm libraries need npm to install them and node to run their servers", tool), nil
		}
	}
	pkg, err := os.ReadFile("package.json")
	if err != nil {
		return "", "", err
	}
	lock, err := os.ReadFile("package-lock.json")
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256(append(append(pkg, 0), lock...))
	root := cacheRoot()
	dir = filepath.Join(root, hex.EncodeToString(sum[:8]))
	modules := filepath.Join(dir, "node_modules")
	const done = ".installed"
	if _, err := os.Stat(filepath.Join(dir, done)); err == nil {
		return modules, "", nil
	}

	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", "", err
	}
	tmp, err := os.MkdirTemp(root, "install-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(tmp) // gone already once renamed
	for name, data := range map[string][]byte{"package.json": pkg, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", "", err
		}
	}
	// No package needs an install script.
	cmd := exec.CommandContext(ctx, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		if unreachable.Match(out) {
			return "", fmt.Sprintf("npm ci cannot reach the npm registry, so the npm libraries are not installed:\n%s", out), nil
		}
		return "", "", fmt.Errorf("npm ci in %s: %v\n%s", tmp, err, out)
	}
	if err := os.WriteFile(filepath.Join(tmp, done), nil, 0o644); err != nil {
		return "", "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another run may have installed the same packages meanwhile.
		if _, serr := os.Stat(filepath.Join(dir, done)); serr != nil {
			return "", "", err
		}
	}
	return modules, "", nil
}

// unreachable matches npm's reports of network failures.
var unreachable = regexp.MustCompile(`\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b`)

// cacheRoot is $WSJS_NPM_CACHE, or wsjs-npm-examples in the user's cache directory.
func cacheRoot() string {
	if d := os.Getenv("WSJS_NPM_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "wsjs-npm-examples")
}
