package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/bindings/websocket"
	"github.com/wsjs/wsjs/runtime"
)

// DefaultTimeout is the deadline of a request when Config.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Config configures a Host. Only Dir or FS is required.
type Config struct {
	// Dir is the plugins directory: each .ts, .mts, .js or .mjs file
	// directly in it is a plugin, named after the file without extension.
	// With FS, it is only where npm packages are looked for (in the
	// node_modules directories above it) and the files of plugins served out
	// of process are taken from.
	Dir string
	// FS, if not nil, holds the plugins in place of Dir, at its root: an
	// embed.FS, say, for plugins built into the host's binary.
	FS fs.FS
	// ModulePaths are directories searched for npm packages after the
	// node_modules directories above Dir.
	ModulePaths []string
	// Timeout bounds each request: starting the plugin's runtime if it must,
	// and the call of its handler. Zero means DefaultTimeout.
	Timeout time.Duration
	// AllowHosts are the host names and IP addresses plugins may connect to
	// (WebSocket, fetch and the rest). Even for those, private networks are
	// refused, loopback excepted.
	AllowHosts []string
	// Isolate names the plugins served out of process, each by a child
	// process of its own (runtime/subprocess), for those the host does not
	// trust with its memory: the child's crash or its running out of memory
	// is a failed request, and the next one starts a new child. The host's
	// binary must call subprocess.Main first thing in main.
	Isolate []string
	// ChildMemory and ChildCPU, if positive, bound the memory (bytes) and
	// the CPU time of each child process (subprocess.Config).
	ChildMemory int64
	ChildCPU    time.Duration
	// Stdout and Stderr receive the plugins' console output and error
	// reports; nil means os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer
	// Log receives what the host has to say (errors of plugins, refused
	// connections, reloads); nil means log.Default().
	Log *log.Logger
}

// A Host serves plugins: it compiles each once, runs it in a runtime of its
// own and calls its handler for each request. Its methods may be called from
// any goroutine.
type Host struct {
	cfg  Config
	log  *log.Logger
	opts runtime.Options // for every plugin's runtime, but OnError
	kv   *store

	mu      sync.Mutex
	plugins map[string]*plugin
	adding  sync.Mutex // held by Deploy while it adds a plugin
}

// New compiles every plugin in cfg.Dir (or cfg.FS) and starts each. It fails
// if the plugins cannot be listed or one does not compile or start; nothing
// is left running then.
func New(ctx context.Context, cfg Config) (*Host, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, err
	}
	cfg.Dir = dir
	h := &Host{cfg: cfg, log: cfg.Log, kv: newStore(), plugins: map[string]*plugin{}}
	if h.log == nil {
		h.log = log.Default()
	}
	h.opts = h.runtimeOptions()
	var entries []fs.DirEntry
	if cfg.FS != nil {
		entries, err = fs.ReadDir(cfg.FS, ".")
	} else {
		entries, err = os.ReadDir(dir)
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || !slices.Contains([]string{".ts", ".mts", ".js", ".mjs"}, ext) {
			continue
		}
		src := source{path: filepath.Join(dir, e.Name())}
		if cfg.FS != nil {
			src = source{path: e.Name(), fsys: cfg.FS}
		}
		if err := h.add(ctx, e.Name()[:len(e.Name())-len(ext)], src); err != nil {
			h.Close()
			return nil, err
		}
	}
	return h, nil
}

// add loads a new plugin from src and adds it to h.
func (h *Host) add(ctx context.Context, name string, src source) error {
	p := &plugin{name: name, host: h, isolated: slices.Contains(h.cfg.Isolate, name)}
	if err := p.load(ctx, src); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.plugins[name] = p
	return nil
}

// runtimeOptions returns the options of the plugins' runtimes: the
// connection policy, the limits and the host's Go modules.
func (h *Host) runtimeOptions() runtime.Options {
	return runtime.Options{
		Stdout: h.cfg.Stdout,
		Stderr: h.cfg.Stderr,
		Network: network.Policy{
			Allow: allowHosts(h.cfg.AllowHosts),
			Proxy: noProxy,
			Log:   func(url string, err error) { h.log.Printf("plugin connection to %s: %v", url, err) },
		},
		WebSocket: websocket.Options{MaxSockets: 16, MaxMessageSize: 1 << 20},
		Limits:    runtime.Limits{Workers: 4, Timers: 1000, ArrayBufferBytes: 16 << 20},
		Modules:   map[string]runtime.Module{"kv": h.kv.module()},
	}
}

// Plugins returns the names of the plugins, sorted.
func (h *Host) Plugins() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	names := make([]string, 0, len(h.plugins))
	for name := range h.plugins {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

var (
	// ErrNoPlugin is returned for a plugin name the host does not have.
	ErrNoPlugin = errors.New("no such plugin")
	// ErrBadName is returned by Deploy for a name a plugin cannot have.
	ErrBadName = errors.New("bad plugin name")
)

func (h *Host) plugin(name string) (*plugin, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, ok := h.plugins[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoPlugin, name)
	}
	return p, nil
}

// Describe calls each plugin's describe export, a function returning a
// string, and returns the results by name; a plugin without one is
// described as "". Errors are logged and described as such.
func (h *Host) Describe(ctx context.Context) map[string]string {
	d := map[string]string{}
	for _, name := range h.Plugins() {
		p, err := h.plugin(name)
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
		v, err := p.call(ctx, "describe")
		cancel()
		switch {
		case errors.Is(err, runtime.ErrNotFunction):
			d[name] = ""
		case err != nil:
			h.log.Printf("plugin %s: describe: %v", name, err)
			d[name] = "error: " + err.Error()
		default:
			d[name] = fmt.Sprint(v)
		}
	}
	return d
}

// Fetch calls the handler of plugin name with req, under the host's
// deadline, and returns its result as Go values (see runtime.Runtime.Call).
// An error thrown or rejected by the handler is a *runtime.Error, with its
// stack in the plugin's sources; a request that outlives the deadline returns
// context.DeadlineExceeded, and the plugin's runtime is replaced; a child
// process that ends during the call returns a *subprocess.ExitError.
func (h *Host) Fetch(ctx context.Context, name string, req map[string]any) (any, error) {
	p, err := h.plugin(name)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	return p.call(ctx, "default.fetch", req)
}

// Post fires a message event whose data is data at the global object of
// plugin name, and returns once its listeners have run. Plugins served out
// of process have no events: ErrOutOfProcess.
func (h *Host) Post(ctx context.Context, name, data string) error {
	p, err := h.plugin(name)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	return p.post(ctx, data)
}

// Deploy compiles code, TypeScript held in memory, as plugin name and
// swaps it in, or adds it. Its relative imports resolve against Config.Dir.
// If it does not compile or start, the old version, if any, goes on
// serving. A deployed plugin is no longer reloaded from its file.
func (h *Host) Deploy(ctx context.Context, name, code string) error {
	if !validName(name) {
		return fmt.Errorf("%w %q: letters, digits, - and _ only", ErrBadName, name)
	}
	src := source{path: name + ".ts", code: code}
	h.adding.Lock() // two Deploys of one new name: the second loads over the first
	p, err := h.plugin(name)
	if err != nil {
		err = h.add(ctx, name, src)
		h.adding.Unlock()
		return err
	}
	h.adding.Unlock()
	return p.load(ctx, src)
}

func validName(name string) bool {
	for _, c := range name {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return name != ""
}

// Reload recompiles plugin name from its source (its file, or what Deploy
// gave) and swaps the new version in; the old runtime is closed once the
// requests it serves are done. If the source does not compile or start, the
// old version goes on serving and the error is returned.
func (h *Host) Reload(ctx context.Context, name string) error {
	p, err := h.plugin(name)
	if err != nil {
		return err
	}
	return p.reload(ctx)
}

// Scan reloads the plugins whose file changed (modification time or size)
// since they were loaded, and returns their names. Changes to the files a
// plugin imports are not seen: Reload it.
func (h *Host) Scan(ctx context.Context) (reloaded []string, err error) {
	var errs []error
	for _, name := range h.Plugins() {
		p, err := h.plugin(name)
		if err != nil || !p.changed() {
			continue
		}
		if err := p.reload(ctx); err != nil {
			errs = append(errs, err)
			continue
		}
		reloaded = append(reloaded, name)
	}
	return reloaded, errors.Join(errs...)
}

// Watch calls Scan every interval until ctx is done.
func (h *Host) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if names, err := h.Scan(ctx); err != nil {
				h.log.Print(err)
			} else if len(names) > 0 {
				h.log.Printf("reloaded %v", names)
			}
		}
	}
}

// Metrics returns each plugin's metrics, by name.
func (h *Host) Metrics() map[string]PluginMetrics {
	m := map[string]PluginMetrics{}
	for _, p := range h.list() {
		m[p.name] = p.metrics()
	}
	return m
}

func (h *Host) list() []*plugin {
	h.mu.Lock()
	defer h.mu.Unlock()
	ps := make([]*plugin, 0, len(h.plugins))
	for _, p := range h.plugins {
		ps = append(ps, p)
	}
	return ps
}

// Close closes every plugin's runtime, interrupting the requests they serve,
// and waits for them. Requests after Close fail with runtime.ErrClosed.
func (h *Host) Close() {
	for _, p := range h.list() {
		p.close()
	}
}
