package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/abort"
	"github.com/wsjs/wsjs/bindings/base64"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/broadcast"
	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/bindings/compression"
	"github.com/wsjs/wsjs/bindings/console"
	"github.com/wsjs/wsjs/bindings/crypto"
	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/fetch"
	"github.com/wsjs/wsjs/bindings/filereader"
	"github.com/wsjs/wsjs/bindings/formdata"
	"github.com/wsjs/wsjs/bindings/location"
	"github.com/wsjs/wsjs/bindings/messaging"
	"github.com/wsjs/wsjs/bindings/navigator"
	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/bindings/performance"
	"github.com/wsjs/wsjs/bindings/streams"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/bindings/testutils"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/bindings/wasm"
	"github.com/wsjs/wsjs/bindings/websocket"
	"github.com/wsjs/wsjs/bindings/websocketstream"
	"github.com/wsjs/wsjs/bindings/worker"
	"github.com/wsjs/wsjs/bindings/xhr"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/runtime/internal/heapwatch"
	"github.com/wsjs/wsjs/runtime/internal/linker"
	"github.com/wsjs/wsjs/runtime/internal/loader"
	"github.com/wsjs/wsjs/webidl"
)

// maxCallStackSize bounds goja's call stack. goja ends a run that exceeds it
// with an uncatchable *goja.StackOverflowError, where V8 throws a catchable
// RangeError; the event loop reports it as V8's RangeError. V8 allows about
// 10,000 frames of a small function, but a stack of calls through built-ins
// (getters, Proxy traps, toString, Reflect.apply) nests goja's interpreter on
// the Go stack, and unwinding it (for the overflow, or for a deadline's
// interrupt) takes time quadratic in its depth, during which nothing can
// interrupt it: measured 0.2 s at 2,000 frames, 0.8 s at 3,000 and 3.3 s at
// 5,000. 2,500 frames keeps that within a deadline's grace.
const maxCallStackSize = 2500

// ErrClosed is returned by a Runtime's methods once Close has been called.
var ErrClosed = errors.New("runtime: closed")

// Options configure a Runtime. The zero value is ready to use: scripts run relative to
// the working directory, console output goes to os.Stdout and os.Stderr, and the first
// uncaught error stops the run.
type Options struct {
	// BaseURL is the API base URL of scripts: relative URLs given to web APIs (such as
	// the WebSocket constructor) resolve against it, and its origin is the origin
	// scripts act for. It must be an absolute URL. Empty means the file: URL of the
	// script RunFile runs, and for RunScript and Do the file: URL of Dir with a trailing
	// slash. A file: URL has an opaque origin, serialised as "null", as in a browser
	// that opened a local file.
	BaseURL string

	// Stdout receives console.log, console.info, console.debug and the like; Stderr
	// receives console.warn, console.error, console.trace and uncaught error reports.
	// Nil means os.Stdout and os.Stderr. The runtime's workers write to them too, from
	// their own goroutines; the runtime serializes the writes.
	Stdout, Stderr io.Writer

	// Dir is the directory the imports of RunScript resolve against and relative
	// paths given to RunFile are taken from. Empty means the working directory.
	Dir string

	// ModulePaths are extra directories searched for bare imports (npm package names)
	// after the node_modules directories above the importing file.
	ModulePaths []string

	// ContinueOnError keeps running after an uncaught exception or an unhandled promise
	// rejection, as a browser does: the error is reported to Stderr and the event loop
	// goes on. By default, like command-line runtimes, the first one is reported, the
	// loop stops and RunFile or RunScript returns it as an *Error.
	ContinueOnError bool

	// DefineWindow defines `window` on the main global object, Window's
	// [LegacyUnforgeable] attribute that returns the global itself
	// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-window-object),
	// as in a browser. It is off by default, as in Deno: many scripts take
	// `window` as a sign that a DOM is present. wpt-runner turns it on, since
	// tests written for a browser window use it as the global.
	DefineWindow bool

	// TimeoutSignalsKeepAlive makes a pending AbortSignal.timeout() keep the
	// event loop alive until its signal aborts, as a pending setTimeout does,
	// in this runtime and its workers. By default it does not, as in Node.js
	// and Deno: a script that waits only for such a signal ends. A host that
	// runs pages which stay open while anything may still happen in them, as
	// in a browser (wpt-runner), turns it on.
	TimeoutSignalsKeepAlive bool

	// CrossOriginIsolation says which of the runtime's realms, its own and
	// its workers', are cross-origin isolated (see Isolation). The zero
	// value isolates them all. A host that runs pages as a browser does
	// decides it from the headers of the page's response (Cross-Origin-
	// Opener-Policy and Cross-Origin-Embedder-Policy), as wpt-runner does.
	CrossOriginIsolation Isolation

	// TestUtils defines the TestUtils namespace of the Test Utils standard
	// (https://testutils.spec.whatwg.org/) in the runtime and its workers:
	// TestUtils.gc() runs Go's garbage collector, so that tests can see
	// what happens to objects nothing reaches (bindings/testutils). It is
	// for hosts that run test suites (wpt-runner); off by default.
	TestUtils bool

	// Args, if not nil, is exposed to scripts as wsjs.args, a frozen array of strings
	// (the CLI passes the arguments after the script name).
	Args []string

	// Network is how scripts reach the network: the dialer and resolver, the
	// connection policy that decides where scripts may connect, the proxy, TLS roots,
	// the cookie jar, and a log of failure causes scripts never see. It applies to
	// WebSocket, WebSocketStream, fetch, XMLHttpRequest and the scripts of workers
	// fetched over HTTP, in this runtime and in its workers. The zero value connects
	// anywhere. Its Meter is not used: the runtime counts with a meter of its own
	// (see Metrics).
	Network network.Policy

	// WebSocket configures the WebSocket API (and WebSocketStream): extra handshake
	// headers, limits and timeouts. The zero value uses the transport's default
	// limits. Its Network field is not used: Options.Network applies. Workers get the
	// same options.
	WebSocket websocket.Options

	// BroadcastPartition keeps the BroadcastChannels of this runtime and its
	// workers apart from those of runtimes with another BroadcastPartition.
	// A BroadcastChannel hears the channels of the same name of every
	// runtime of the process with the same origin (that of BaseURL; a
	// runtime with an opaque origin, as of a file: URL, hears only itself and
	// its workers) and the same BroadcastPartition. Empty is a partition too.
	BroadcastPartition string

	// Limits bound what scripts can make the host hold. The zero value has
	// safe defaults.
	Limits Limits

	// Modules are the modules the host provides to scripts, by name: a script
	// imports Modules["kv"] as "host:kv" (see Module). A script that imports
	// a name not here fails when it is evaluated. The scripts of workers
	// cannot import them.
	Modules map[string]Module

	// OnError, if not nil, is called with every uncaught exception or
	// unhandled rejection (an *Error) after it has been reported to Stderr,
	// on the loop goroutine: it must not block nor call the Runtime's methods.
	// While the runtime serves (see Start), such errors never stop it, as if
	// ContinueOnError were set, and OnError is how the host learns of them.
	OnError func(error)
}

// A Runtime is one JavaScript environment: a goja runtime, its event loop and the web
// APIs on its global object. Runtimes share nothing but the BroadcastChannels of one
// origin (see Options.BroadcastPartition); any number may run in parallel on
// different goroutines.
//
// RunFile and RunScript drive the event loop on a goroutine of the runtime's while the
// caller waits (see Limits.InterruptGrace); runs of one Runtime take turns. The methods
// may be called from any goroutine, but not from the loop goroutine itself (from
// script, or from inside a function passed to Do), except that Do's function may use
// the goja runtime it is given.
type Runtime struct {
	opts Options
	vm   *goja.Runtime
	// exportIts are what export walks Maps and Sets with (export.go),
	// captured by prepare.
	exportIts *exportIterators
	loop      *eventloop.Loop
	stdout    io.Writer
	stderr    io.Writer
	cfg       loader.Config
	base      *url.URL // fixed BaseURL, or nil
	buf       []byte   // reused for error reports
	realm     *webidl.Realm
	env       *bindings.Env
	then      goja.Callable // %Promise.prototype.then%, captured by prepare
	// cluster holds what this runtime and its workers share (HTML's agent
	// cluster), such as the blob URL store.
	cluster *bindings.Cluster

	// exclusive is held by whoever drives the goja runtime: a run, or a Do outside runs.
	exclusive chan struct{}
	// grace is Limits.InterruptGrace, or 0 for none; closing is closed by
	// Close, givenUp when the runtime is given up on (unresponsive.go).
	grace      time.Duration
	closing    chan struct{}
	givenUp    chan struct{}
	giveUpOnce sync.Once

	mu       sync.Mutex
	running  bool          // a run is inside loop.Run
	changed  chan struct{} // closed and replaced when running changes
	pending  int           // Do tasks queued on the running loop and not started yet
	closed   bool
	baseURL  *url.URL // the API base URL in effect
	firstErr *Error   // the uncaught error that stops the current run
	// broken is what left the goja runtime in a state nothing can vouch for
	// (an *eventloop.PanicError or eventloop.ErrStaleFrames): every run and
	// Do return it from then on.
	broken error

	// fireError and fireRejection dispatch "error" (ErrorEvent) and
	// "unhandledrejection" (PromiseRejectionEvent) at the global object and report
	// whether the event was not canceled. Nil reports every error.
	fireError     func(exc *goja.Exception) (notCanceled bool)
	fireRejection func(p *goja.Promise) (notCanceled bool)

	// child says how the runtime of a worker differs from a top-level one
	// (workers.go); nil at the top.
	child *worker.ChildOptions

	srv    serving // Start's state (serve.go)
	host   hostModules
	linker *linker.Linker // the module map, once a script needs one
	loads  moduleLoads    // the module loads of import() (modules.go)
	// workers counts the workers running in the runtime's tree (metrics.go).
	workers func() int
	// heap is Limits.HeapBytes's state, shared with the workers under the
	// runtime; heapGuard is this runtime's entry with the watchdog, nil
	// when the bound is lifted (heap.go).
	heap      *heapBound
	heapGuard *heapwatch.Guard
}

// New returns a Runtime with the web APIs installed.
func New(opts Options) (*Runtime, error) {
	meterNetwork(&opts)
	return newRuntime(opts, nil, nil)
}

// newRuntime is New for the runtime of a worker that a script of parent
// started, as c says (see workers.go), or for a top-level runtime when
// parent is nil.
func newRuntime(opts Options, parent *Runtime, c *worker.ChildOptions) (*Runtime, error) {
	r := &Runtime{
		opts:      opts,
		stdout:    opts.Stdout,
		stderr:    opts.Stderr,
		exclusive: make(chan struct{}, 1),
		changed:   make(chan struct{}),
		child:     c,
		grace:     limit(opts.Limits.InterruptGrace, DefaultInterruptGrace),
		closing:   make(chan struct{}),
		givenUp:   make(chan struct{}),
	}
	// A worker shares the agent cluster of the runtime that created it: it
	// resolves the same blob URLs, for one
	// (https://w3c.github.io/FileAPI/#BlobURLStore).
	// They also share one memory budget.
	r.cluster = &bindings.Cluster{
		Memory: bindings.NewBudget(limit(opts.Limits.MemoryBytes, defaultMemoryBytes())),
	}
	r.heap = &heapBound{bound: limit(opts.Limits.HeapBytes, defaultHeapBytes())}
	if parent != nil {
		r.cluster = parent.cluster
		r.heap = parent.heap
	}
	r.heapGuard = r.newHeapGuard()
	raiseMaxStack(r.heap.bound)
	if r.stdout == nil {
		r.stdout = os.Stdout
	}
	if r.stderr == nil {
		r.stderr = os.Stderr
	}
	// Workers write to the same writers from their own goroutines.
	r.stdout, r.stderr = lockWriters(r.stdout, r.stderr)
	cfg, err := newConfig(opts.Dir, opts.ModulePaths)
	if err != nil {
		return nil, err
	}
	r.cfg = *cfg
	if opts.BaseURL != "" {
		u, err := url.Parse(opts.BaseURL)
		if err != nil || !u.IsAbs() {
			return nil, fmt.Errorf("runtime: BaseURL %q is not an absolute URL", opts.BaseURL)
		}
		r.base = u
	}
	r.baseURL = r.defaultBase("")

	r.vm = goja.New()
	// Recursion without end fails fast instead of growing the stack until the
	// deadline or memory runs out (see maxCallStackSize).
	r.vm.SetMaxCallStackSize(maxCallStackSize)
	// The realm first, while the global object holds only the built-ins.
	r.realm = webidl.NewRealm(r.vm)
	r.realm.SetAPIBaseURL(r.baseURL.String())
	// A worker's realm is given its own capability when it is configured.
	r.realm.SetCrossOriginIsolated(!opts.CrossOriginIsolation.Off)
	r.loop = eventloop.New(r.vm, eventloop.Options{
		OnException:          r.reportException,
		OnUnhandledRejection: r.reportRejection,
		Stderr:               r.stderr,
		MaxTimers:            limit(opts.Limits.Timers, DefaultMaxTimers),
		// String handlers compile as the scripts workers fetch do: safe from
		// goja parser panics, their direct eval calls rewritten (see
		// bindings/directeval).
		CompileString: func(src string) (*goja.Program, error) { return loader.CompileClassic("", src) },
		DeferGlobals:  true, // the timers binding defines them
		Prepare:       r.prepare,
		Busy:          r.busy,
	})
	if err := r.registerBindings(); err != nil {
		r.loop.Close()
		return nil, err
	}
	r.workers = worker.Counter(r.cluster)
	return r, nil
}

// prepare readies the runtime for its first script: the bindings and
// intrinsics that cannot wait for first use (bindings.Prepare) and what the
// runtime itself captures. The loop calls it before its first task
// (eventloop.Options.Prepare), and Do before a function it runs outside a
// run, through Loop.Prepare.
func (r *Runtime) prepare() error {
	r.then = webidl.Intrinsics{VM: r.vm}.Func("Promise", "prototype", "then")
	its, err := newExportIterators(r.vm)
	if err != nil {
		return err
	}
	r.exportIts = its
	if err := bindings.Prepare(r.env); err != nil {
		// Closing the runtime (or terminating its worker) interrupts it:
		// a broken loop does not matter then.
		return fmt.Errorf("runtime: preparing for script: %w", err)
	}
	return r.hideSharedArrayBuffer()
}

// webAPIs are the bindings a runtime installs. bindings.Defer installs each
// on first use, after those it needs; the order here is that of an eager
// install, which decides the order of the global object's properties.
var webAPIs = []*bindings.Binding{
	// The timers, queueMicrotask and reportError come right after the
	// built-ins and DOMException. The global object implements its
	// interface (Window or a WorkerGlobalScope, which inherit from
	// EventTarget) as soon as events are installed, before the bindings
	// that look at it (XMLHttpRequest) or define its members.
	timersBinding, events.Binding, worker.GlobalScope,
	performance.Binding, crypto.Binding, encoding.Binding, console.Binding, base64.Binding,
	structuredclone.Binding, messaging.Binding, broadcast.Binding, urlbinding.Binding, blob.Binding, formdata.Binding,
	abort.Binding, location.Binding, navigator.Binding, websocket.Binding, streams.Binding,
	compression.Binding, websocketstream.Binding, fetch.Binding, xhr.Binding, filereader.Binding, builtins.Binding, worker.Binding,
	wasm.Binding, selfBinding, testUtilsBinding,
}

// webAPIsWithArgs adds wsjs.args, for Options.Args: bindings.Defer is given
// one of the two slices every time.
var webAPIsWithArgs = append(webAPIs[:len(webAPIs):len(webAPIs)], argsBinding)

// timersBinding defines the globals of the event loop
// (eventloop.Loop.InstallGlobalsOn), where the realm keeps the members of
// the global object's interfaces.
var timersBinding = &bindings.Binding{Name: "timers", Register: func(env *bindings.Env) error {
	env.Loop.InstallGlobalsOn(env.Realm.GlobalMembers())
	return nil
}}

// selfBinding defines `self` on the global object of a worker as WorkerGlobalScope's
// readonly attribute
// (https://html.spec.whatwg.org/multipage/workers.html#dom-workerglobalscope-self):
// a getter that returns the global object itself.
var selfBinding = &bindings.Binding{Name: "self", Register: func(env *bindings.Env) error {
	if env.Global == bindings.Window {
		return nil // Window's self, which a script may replace, comes with Window (bindings/worker)
	}
	return env.Realm.DefineGlobalMembers([]webidl.Attribute{{
		Name: "self", Get: func(c webidl.Call) goja.Value { return c.This },
	}}, nil)
}}

// argsBinding defines wsjs.args, Options.Args as a frozen array of strings.
var argsBinding = &bindings.Binding{Name: "args", Register: func(env *bindings.Env) error {
	args := bindings.Config[runtimeArgs](env)
	vm := env.Realm.VM()
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a
	}
	arr := vm.NewArray(vals...)
	ns := vm.NewObject()
	if err := ns.DefineDataProperty("args", arr, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
		return err
	}
	freeze := webidl.Intrinsics{VM: vm}.Func("Object", "freeze")
	if _, err := freeze(nil, arr); err != nil {
		return err
	}
	if _, err := freeze(nil, ns); err != nil {
		return err
	}
	return env.Realm.Global().DefineDataProperty("wsjs", ns, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}}

// eagerBindings has New install every web API at once, as the first runtime
// of a process does while bindings.Defer learns what they define: for tests
// that compare such a runtime with one that defers.
var eagerBindings atomic.Bool

func installEagerly(env *bindings.Env, bs ...*bindings.Binding) error {
	if err := env.Realm.Eager(); err != nil {
		return err
	}
	return bindings.Install(env, bs...)
}

// testUtilsBinding installs the TestUtils namespace (bindings/testutils)
// where Options.TestUtils asks for it.
var testUtilsBinding = &bindings.Binding{
	Name: "test utils option",
	Key:  func(env *bindings.Env) any { return bindings.Config[testUtilsOption](env) },
	Register: func(env *bindings.Env) error {
		if !bindings.Config[testUtilsOption](env) {
			return nil
		}
		return testutils.Register(env)
	},
}

// testUtilsOption is Options.TestUtils, for testUtilsBinding.
type testUtilsOption bool

// runtimeArgs are Options.Args, for argsBinding.
type runtimeArgs []string

// registerBindings has the web APIs of bindings/* defined on the global
// object on first use.
func (r *Runtime) registerBindings() error {
	env := &bindings.Env{
		Realm:     r.realm,
		Loop:      r.loop,
		Global:    bindings.Window,
		Stdout:    r.stdout,
		Stderr:    r.stderr,
		Cluster:   r.cluster,
		QueueTask: r.queueTask,
	}
	ws := r.opts.WebSocket
	ws.Network = &r.opts.Network
	bindings.Configure(env, ws)
	bindings.Configure(env, fetch.Options{Network: &r.opts.Network})
	bindings.Configure(env, broadcast.Options{Partition: r.opts.BroadcastPartition})
	bindings.Configure(env, abort.Options{TimeoutsKeepAlive: r.opts.TimeoutSignalsKeepAlive})
	bindings.Configure(env, builtins.Options{
		ArrayBufferBytes: limit(r.opts.Limits.ArrayBufferBytes, DefaultArrayBufferBytes),
		StringLength:     limit(r.opts.Limits.StringLength, DefaultStringLength),
		JoinDepth:        maxCallStackSize,
		NestingDepth:     maxCallStackSize,
		Interruptible:    true,
		DynamicFunctions: true,
		CompileScript:    func(src string) (*goja.Program, error) { return loader.CompileClassic("", src) },
		HeapReserve:      r.heapGuard.Reserve,
	})
	bindings.Configure(env, worker.Options{
		Host: (*host)(r), DefineWindow: r.opts.DefineWindow, Network: &r.opts.Network,
		MaxWorkers: limit(r.opts.Limits.Workers, DefaultMaxWorkers),
		MaxDepth:   limit(r.opts.Limits.WorkerDepth, DefaultMaxWorkerDepth),

		IsolateByResponse: r.opts.CrossOriginIsolation.ByResponse,
	})
	if c := r.child; c != nil {
		env.Global = c.Global
		if c.Configure != nil {
			c.Configure(env)
		}
	}
	apis := webAPIs
	if r.opts.Args != nil {
		bindings.Configure(env, runtimeArgs(r.opts.Args))
		apis = webAPIsWithArgs
	}
	bindings.Configure(env, testUtilsOption(r.opts.TestUtils))
	r.env = env
	// A worker's runtime installs its web APIs at once: a worker is a
	// thread of its own, and what it receives from its parent (transferred
	// streams, ports) meets bindings that must be there already.
	install := bindings.Defer
	if eagerBindings.Load() || r.child != nil {
		install = installEagerly
	}
	if err := install(env, apis...); err != nil {
		return fmt.Errorf("runtime: %w", err)
	}
	r.fireError = func(exc *goja.Exception) bool {
		return !events.ReportException(r.realm, exc)
	}
	r.fireRejection = func(p *goja.Promise) bool {
		return !events.ReportUnhandledRejection(r.realm, r.vm.ToValue(p).(*goja.Object), p.Result())
	}
	return nil
}

// defaultBase returns the API base URL for a run of the script at file (empty for
// RunScript and Do).
func (r *Runtime) defaultBase(file string) *url.URL {
	if r.base != nil {
		return r.base
	}
	if file == "" {
		return fileURL(r.cfg.Dir + string(filepath.Separator))
	}
	return fileURL(file)
}

func fileURL(p string) *url.URL {
	s := filepath.ToSlash(p)
	if !strings.HasPrefix(s, "/") {
		s = "/" + s // a Windows drive letter
	}
	return &url.URL{Scheme: "file", Path: s}
}

// BaseURL returns the API base URL in effect: see Options.BaseURL.
func (r *Runtime) BaseURL() *url.URL {
	r.mu.Lock()
	defer r.mu.Unlock()
	u := *r.baseURL
	return &u
}

// RunFile loads the script at path (JavaScript or TypeScript, with the ES modules it
// imports), runs it as a task on the event loop and keeps running the loop until it is
// idle (no tasks, timers or pending I/O), ctx is done (script still running is
// interrupted and ctx's error returned) or Close is called (ErrClosed).
//
// An error the script does not catch is reported to Stderr; unless
// Options.ContinueOnError is set it also stops the loop and is returned as an *Error.
// A script that cannot be loaded yields a *LoadError and nothing runs.
func (r *Runtime) RunFile(ctx context.Context, path string) error {
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.cfg.Dir, path)
	}
	src, err := loader.ReadSource(path)
	if err != nil {
		return err
	}
	s, err := compileSource(&r.cfg, src)
	if err != nil {
		return err
	}
	return r.Run(ctx, s)
}

// RunScript is RunFile for a script held in memory. name names it in error messages
// and chooses how it is parsed by its extension (.js when it has none); its imports
// resolve against Options.Dir.
func (r *Runtime) RunScript(ctx context.Context, name, src string) error {
	if name == "" {
		name = "<script>"
	}
	source, err := loader.NewSource(name, filepath.Join(r.cfg.Dir, name), src, false)
	if err != nil {
		return err
	}
	s, err := compileSource(&r.cfg, source)
	if err != nil {
		return err
	}
	return r.Run(ctx, s)
}

// Run is RunFile for a compiled script: it runs s as a task on the event loop
// and keeps running the loop until it is idle, ctx is done or Close is called,
// and returns as RunFile does. Its API base URL is that of RunFile for a
// script compiled from a file on disk, else that of RunScript. It returns
// ErrServing once Start has been called.
func (r *Runtime) Run(ctx context.Context, s *Script) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.isServing() {
		return ErrServing
	}
	base := r.defaultBase(s.file)
	l := s.l
	if err := r.acquire(ctx); err != nil {
		return err
	}

	r.mu.Lock()
	err := r.unusable()
	if err == nil && r.srv.started {
		err = ErrServing
	}
	if err != nil {
		r.mu.Unlock()
		r.release()
		return err
	}
	r.baseURL = base
	r.firstErr = nil
	r.setRunning(true)
	r.mu.Unlock()

	r.loop.Queue(func() {
		r.realm.SetAPIBaseURL(base.String())
		r.runScript(l)
		// The script has run: messages from service workers may come.
		r.startClientMessages()
	})
	// The heap bound ends the run as its context would.
	runCtx, done := r.heap.watch(ctx)
	result := r.drive(func() error {
		defer done()
		return r.runLoop(ctx, runCtx)
	})
	return r.wait(runCtx.Done(), func() error { return r.endedBy(ctx, runCtx) }, result)
}

// runLoop runs the loop of a run until it ends, and returns what Run does.
func (r *Runtime) runLoop(ctx, runCtx context.Context) error {
	for {
		err := r.loop.Run(runCtx)
		r.mu.Lock()
		if err == nil && r.firstErr == nil && r.pending > 0 && !r.closed {
			// A Do queued its task just as the loop went idle: run it too.
			r.mu.Unlock()
			continue
		}
		r.setRunning(false)
		if r.broken == nil && (errors.As(err, new(*eventloop.PanicError)) || errors.Is(err, eventloop.ErrStaleFrames)) {
			r.broken = err
		}
		first, closed := r.firstErr, r.closed
		r.firstErr = nil
		r.baseURL = r.defaultBase("")
		r.mu.Unlock()
		switch {
		case closed:
			return ErrClosed
		case runCtx.Err() != nil:
			// A cancelled run reports its cancellation, also when the script
			// saw an error on the way out (a request aborted by it, say).
			return ended(ctx, runCtx)
		case first != nil:
			return first
		}
		return err
	}
}

// runScript runs a loaded script as a task (HTML "run a classic script").
func (r *Runtime) runScript(l *loader.Script) {
	v, async, err := r.evaluate(l)
	if err != nil {
		r.loop.ReportException(err)
		return
	}
	if !async {
		return
	}
	// The body of a module with top-level await: an exception it throws is reported
	// as an exception of the script, not as an unhandled rejection.
	if _, ok := v.Export().(*goja.Promise); !ok {
		return
	}
	onRejected := r.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		reason := c.Argument(0)
		r.loop.ReportException(r.vm.Try(func() { panic(reason) }))
		return goja.Undefined()
	})
	if _, err := r.then(v, goja.Undefined(), onRejected); err != nil {
		r.loop.ReportException(err)
	}
}

func (r *Runtime) acquire(ctx context.Context) error {
	select {
	case r.exclusive <- struct{}{}:
		return nil
	case <-r.givenUp:
		return ErrUnresponsive
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *Runtime) release() { <-r.exclusive }

// setRunning must be called with r.mu held.
func (r *Runtime) setRunning(v bool) {
	r.running = v
	close(r.changed)
	r.changed = make(chan struct{})
}

// Close stops the runtime for good: a run in progress is interrupted and returns
// ErrClosed, timers are cancelled, the resources web APIs hold (such as sockets) are
// released and the workers scripts started are terminated. Close waits for the run, or
// a function passed to Do, and for the workers' goroutines to return, each for
// Limits.InterruptGrace at most: past it, the runtime is given up on (ErrUnresponsive)
// and what is left ends on its own. It is idempotent and returns nil.
func (r *Runtime) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	close(r.changed)
	r.changed = make(chan struct{})
	close(r.closing)
	r.mu.Unlock()
	r.loop.Close()
	r.loop.Interrupt(ErrClosed)
	// Service worker jobs stop; workers end with their parent, or are left
	// to end on their own past the grace.
	worker.Shutdown(r.realm, r.grace)
	// Wait for whoever drives the runtime to let go, for the grace at most.
	grace, stop := r.graceTimer()
	defer stop()
	select {
	case r.exclusive <- struct{}{}:
		<-r.exclusive
		r.shutdownChannels()
		return nil
	case <-r.givenUp:
	case <-grace:
		r.giveUp(ErrClosed)
	}
	// Given up: the goroutine left in script lets go when it returns.
	go func() {
		r.exclusive <- struct{}{}
		<-r.exclusive
		r.shutdownChannels()
	}()
	return nil
}

// shutdownChannels ends the channels of the runtime's realm: its
// MessagePorts go with it (their peers are told), its BroadcastChannels
// leave the channels other runtimes post to.
func (r *Runtime) shutdownChannels() {
	messaging.Shutdown(r.realm)
	broadcast.Shutdown(r.realm)
}
