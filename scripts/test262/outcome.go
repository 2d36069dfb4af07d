package main

import (
	"fmt"
	"strings"
)

// An observation is what happened when an engine ran one test in one mode,
// before it is judged against the test's expectations.
type observation struct {
	// Phase is where an error stopped the test: "parse" or "resolution"
	// (the script could not be loaded) or "runtime" (uncaught); empty when
	// it ran to the end.
	Phase   string
	ErrType string // the name of the error's constructor, when there was one
	ErrMsg  string
	Printed []string // the arguments of print
	Timeout bool
	Panic   string // a Go panic out of the engine, with its stack
	// Unsupported says why the engine could not run the test at all.
	Unsupported string
}

// judge decides whether obs is a pass of t
// (https://github.com/tc39/test262/blob/main/INTERPRETING.md): it returns ""
// for a pass, else why it failed.
func judge(t *test, obs observation) string {
	switch {
	case obs.Panic != "":
		return "Go panic: " + obs.Panic
	case obs.Unsupported != "":
		return obs.Unsupported
	case obs.Timeout:
		return "timeout"
	}
	if neg := t.meta.Negative; neg != nil {
		if obs.Phase == neg.Phase && obs.ErrType == neg.Type {
			return ""
		}
		if obs.Phase == "" {
			return fmt.Sprintf("expected %s %s, got no error", neg.Phase, neg.Type)
		}
		return fmt.Sprintf("expected %s %s, got %s", neg.Phase, neg.Type, obs.describe())
	}
	if obs.Phase != "" {
		return obs.describe()
	}
	if !t.meta.Has("async") {
		return ""
	}
	for _, p := range obs.Printed {
		if p == "Test262:AsyncTestComplete" {
			return ""
		}
		if strings.HasPrefix(p, "Test262:AsyncTestFailure:") {
			return strings.TrimPrefix(p, "Test262:AsyncTestFailure:")
		}
	}
	return "async test did not call $DONE"
}

func (obs observation) describe() string {
	msg := firstLine(obs.ErrMsg)
	if obs.ErrType != "" && !strings.HasPrefix(msg, obs.ErrType) {
		msg = obs.ErrType + ": " + msg
	}
	return obs.Phase + " " + msg
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// A mode is one way a test is run.
type mode string

const (
	sloppy mode = "sloppy"
	strict mode = "strict"
	module mode = "module"
	raw    mode = "raw"
)

// modes lists how t must be run
// (https://github.com/tc39/test262/blob/main/INTERPRETING.md#strict-mode).
func modes(t *test) []mode {
	switch m := t.meta; {
	case m.Has("module"):
		return []mode{module}
	case m.Has("raw"):
		return []mode{raw}
	case m.Has("onlyStrict"):
		return []mode{strict}
	case m.Has("noStrict"):
		return []mode{sloppy}
	}
	return []mode{sloppy, strict}
}

// source is t's code as run in mode m: with the "use strict" directive
// prepended in strict mode.
func source(t *test, m mode) string {
	if m == strict {
		return "\"use strict\";\n" + t.src
	}
	return t.src
}
