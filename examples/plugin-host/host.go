package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/bindings/websocket"
	"github.com/wsjs/wsjs/runtime"
)

// DefaultTimeout is the deadline of a request when Config.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Config configures a Host. Only Dir is required.
type Config struct {
	// Dir is the plugins directory: each .ts, .mts, .js or .mjs file
	// directly in it is a plugin, named after the file without extension.
	Dir string
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
	cfg     Config
	log     *log.Logger
	opts    runtime.Options // for every plugin's runtime, but OnError
	plugins map[string]*plugin
}

// New compiles every plugin in cfg.Dir and starts each in a runtime. It
// fails if the directory cannot be read or a plugin does not compile or
// start; nothing is left running then.
func New(ctx context.Context, cfg Config) (*Host, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, err
	}
	cfg.Dir = dir
	h := &Host{cfg: cfg, log: cfg.Log, plugins: map[string]*plugin{}}
	if h.log == nil {
		h.log = log.Default()
	}
	h.opts = h.runtimeOptions()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || !slices.Contains([]string{".ts", ".mts", ".js", ".mjs"}, ext) {
			continue
		}
		name := e.Name()[:len(e.Name())-len(ext)]
		p := &plugin{name: name, path: filepath.Join(cfg.Dir, e.Name()), host: h}
		h.plugins[name] = p
		if err := p.reload(ctx); err != nil {
			h.Close()
			return nil, err
		}
	}
	return h, nil
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
		Modules:   map[string]runtime.Module{"kv": newStore().module()},
	}
}

// Plugins returns the names of the plugins, sorted.
func (h *Host) Plugins() []string {
	names := make([]string, 0, len(h.plugins))
	for name := range h.plugins {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// ErrNoPlugin is returned for a plugin name the host does not have.
var ErrNoPlugin = errors.New("no such plugin")

func (h *Host) plugin(name string) (*plugin, error) {
	p, ok := h.plugins[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoPlugin, name)
	}
	return p, nil
}

// Fetch calls the handler of plugin name with req, under the host's
// deadline, and returns its result as Go values (see runtime.Runtime.Call).
// An error thrown or rejected by the handler is a *runtime.Error; a request
// that outlives the deadline returns context.DeadlineExceeded, and the
// plugin's runtime is replaced.
func (h *Host) Fetch(ctx context.Context, name string, req map[string]any) (any, error) {
	p, err := h.plugin(name)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	return p.fetch(ctx, req)
}

// Reload recompiles plugin name from its file and swaps the new version in;
// the old runtime is closed once the requests it serves are done. If the file
// does not compile or start, the old version goes on serving and the error
// is returned.
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
		p := h.plugins[name]
		if !p.changed() {
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
	m := make(map[string]PluginMetrics, len(h.plugins))
	for name, p := range h.plugins {
		m[name] = p.metrics()
	}
	return m
}

// Close closes every plugin's runtime, interrupting the requests they serve,
// and waits for them. Requests after Close fail with runtime.ErrClosed.
func (h *Host) Close() {
	for _, p := range h.plugins {
		p.close()
	}
}
