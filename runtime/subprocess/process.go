package subprocess

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

// DefaultGrace is the default of Config.Grace.
const DefaultGrace = 2 * time.Second

// Config says what a child runs and under which limits. Its zero value
// but Path or Source is useful.
type Config struct {
	// Path, Source, Dir and ModulePaths say where the script is, as in
	// runtime.CompileOptions; the child compiles it. An fs.FS cannot cross
	// to another process: give files on disk or the source itself.
	Path, Source, Dir string
	ModulePaths       []string

	// BaseURL, Args and Limits are the child runtime's, as in runtime.Options.
	BaseURL string
	Args    []string
	Limits  runtime.Limits

	// Stdout and Stderr receive the child runtime's console output, as in
	// runtime.Options (nil means os.Stdout and os.Stderr), and Stderr also
	// what the child process itself writes there, such as a crash report.
	// They are written from one goroutine, which reads every message of the
	// child: a writer that blocks holds up the child's calls.
	Stdout, Stderr io.Writer

	// Modules are the host's modules for scripts, as in runtime.Options,
	// served over the pipe: a script imports Modules["kv"] as "host:kv" and
	// each of its functions as an async function (it returns a promise),
	// which the host runs on a goroutine of its own with arguments and
	// result crossing as Call's do. ctx is done when the process ends.
	Modules map[string]map[string]runtime.AsyncFunc

	// MemoryLimit, if positive, bounds the child's memory in bytes, with an
	// rlimit on Linux and macOS (see the package documentation; at least 128 MiB) and
	// Go's soft memory limit at half of it. An allocation beyond it ends
	// the child with an *ExitError wrapping ErrMemoryLimit. The child's
	// runtime bounds its Go heap at a quarter of it by default
	// (runtime.Limits.HeapBytes, which reads the rlimit): a script that
	// grows the heap past that is interrupted first, and the call, and
	// every later one, fails with runtime.ErrHeapExceeded.
	MemoryLimit int64

	// CPUTime, if positive, bounds the CPU time of the child, rounded up to
	// whole seconds (RLIMIT_CPU on Linux and macOS; not applied elsewhere). Using it up
	// ends the child with an *ExitError wrapping ErrCPULimit.
	CPUTime time.Duration

	// Grace is how long the host waits for the child to stop a call whose
	// context has ended, or to exit once Close has closed its input, before
	// it kills the child. Zero means DefaultGrace.
	Grace time.Duration

	// Command, if not nil, makes the child from a copy of it (its Path, Args,
	// Dir and Env; Stdin, Stdout and Stderr are the host's to set) instead of
	// re-executing the host binary (os.Executable) with no arguments. The
	// program it runs must call Main first: one that does not never answers,
	// and Start returns when its context ends, having killed it. The wsjs
	// command does (exec.Command("wsjs")), so a host need not re-execute
	// itself.
	Command *exec.Cmd
}

// startConfig is what the child is told in the start message.
type startConfig struct {
	Path        string              `json:"path,omitempty"`
	Source      string              `json:"source,omitempty"`
	Dir         string              `json:"dir,omitempty"`
	ModulePaths []string            `json:"modulePaths,omitempty"`
	BaseURL     string              `json:"baseURL,omitempty"`
	Args        []string            `json:"args,omitempty"`
	Limits      runtime.Limits      `json:"limits"`
	Modules     map[string][]string `json:"modules,omitempty"`
	MemoryLimit int64               `json:"memoryLimit,omitempty"`
	CPUTime     time.Duration       `json:"cpuTime,omitempty"`
}

// outOfMemory reports whether a Go crash report says memory ran out: for
// the heap, or for the stack of a new thread (made by the C library in a
// binary linked with cgo).
func outOfMemory(stderr string) bool {
	for _, s := range []string{"out of memory", "cannot allocate memory", "pthread_create failed", "failed to create new OS thread"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

// softMemoryLimit is Go's soft memory limit in a child whose address space
// is bounded to memory bytes.
func softMemoryLimit(memory int64) int64 { return memory / 2 }

func (c *Config) startConfig() *startConfig {
	s := &startConfig{
		Path: c.Path, Source: c.Source, Dir: c.Dir, ModulePaths: c.ModulePaths,
		BaseURL: c.BaseURL, Args: c.Args, Limits: c.Limits,
		MemoryLimit: c.MemoryLimit, CPUTime: c.CPUTime,
	}
	if len(c.Modules) > 0 {
		s.Modules = make(map[string][]string)
		for mod, fns := range c.Modules {
			for name := range fns {
				s.Modules[mod] = append(s.Modules[mod], name)
			}
		}
	}
	return s
}

// command returns the command that starts the child.
func (c *Config) command() (*exec.Cmd, error) {
	var cmd *exec.Cmd
	if c.Command != nil {
		cmd = &exec.Cmd{Path: c.Command.Path, Args: c.Command.Args, Dir: c.Command.Dir, Env: c.Command.Env}
	} else {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("subprocess: the host binary: %w", err)
		}
		cmd = exec.Command(exe)
	}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, envChild+"=1")
	return cmd, nil
}

func orStd(w io.Writer, std *os.File) io.Writer {
	if w == nil {
		return std
	}
	return w
}

// A tail keeps the first and the last bytes written to it: the start of a
// Go crash report says what happened, its end where.
type tail struct {
	mu         sync.Mutex
	head, last []byte
	cut        bool
}

const tailSize = 2048

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if room := tailSize - len(t.head); room > 0 {
		k := min(room, len(p))
		t.head = append(t.head, p[:k]...)
		p = p[k:]
	}
	t.last = append(t.last, p...)
	if len(t.last) > tailSize {
		t.last = append(t.last[:0], t.last[len(t.last)-tailSize:]...)
		t.cut = true
	}
	return n, nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cut {
		return string(t.head) + "\n...\n" + string(t.last)
	}
	return string(t.head) + string(t.last)
}

// exitError describes the end of a child that ended without being closed.
func exitError(state *os.ProcessState, stderr string, killed error, cfg *Config) *ExitError {
	e := &ExitError{State: state, Stderr: stderr, Err: killed}
	switch {
	case cfg.MemoryLimit > 0 && outOfMemory(stderr):
		e.Err = ErrMemoryLimit
	case cfg.CPUTime > 0 && strings.Contains(stderr, cpuMarker):
		e.Err = ErrCPULimit
	}
	return e
}
