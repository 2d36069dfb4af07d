package builtins

import "github.com/dop251/goja"

// Each of this package's scripts is compiled once per process, and
// compiling those Register runs takes longer than the rest of creating a
// Runtime. So init starts compiling them on another goroutine, the scripts
// Register runs last first, while the first Register compiles those it
// needs from the start (sync.OnceValue has whichever comes second wait for
// the other): a program that creates a Runtime at once (the command line)
// overlaps the compiling with the other packages' initialization and with
// the first Register. The scripts a realm needs only once its script calls
// certain built-ins (compiledWhenNeeded) are compiled then, in a process
// whose script does.
func init() { go precompile() }

// precompiled are the programs of the scripts Register runs with the
// options wsjs's runtime gives it, in the reverse of the order it runs them.
func precompiled() []func() *goja.Program {
	return []func() *goja.Program{
		typedArrayProgram, abstractProgram, arrayBufferProgram, sharedProgram, sizesProgram, proxyProgram,
		regexpProgram, asyncGeneratorProgram, disposableProgram, iteratorProgram,
	}
}

// lazyScripts are the scripts whose methods compile them when first called
// (see lazyscripts.go).
func lazyScripts() []*lazyScript {
	return append([]*lazyScript{iteratorZipScript, sumPreciseScript, atomicsScript}, plainScripts...)
}

// compiledWhenNeeded are the programs of the scripts compiled the first time
// a realm needs them: those of lazyScripts, js/arrays.js, whose steps only
// long receivers take, and the steps of the objects js/disposable.js and
// js/iterator.js make.
func compiledWhenNeeded() []func() *goja.Program {
	list := []func() *goja.Program{arraysProgram, disposableStepsProgram, iteratorStepsProgram}
	for _, s := range lazyScripts() {
		list = append(list, s.program)
	}
	return list
}

func precompile() {
	for _, program := range precompiled() {
		program()
	}
}
