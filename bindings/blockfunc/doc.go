// Package blockfunc gives function declarations in the blocks of non-strict
// code the semantics of ECMAScript's Annex B
// (https://tc39.es/ecma262/#sec-block-level-function-declarations-web-legacy-compatibility-semantics),
// which goja lacks: besides the block's binding, such a declaration gets a
// var binding of the same name in its function, script or eval code, where
// that would not be an early error, and evaluating the declaration copies
// the function to it. Web pages rely on it: a script that calls a function
// declared in an if statement's block after the block works in browsers.
//
// goja has no hook for it, so the code changes before goja compiles it.
// Rewrite changes the syntax tree of a script (the script loader calls it)
// and RewriteEval the text of eval code, which goja parses itself; a call of
// eval in a rewritten script passes its code through the realm's hooks
// (Install, which the built-ins call for each realm), which apply
// RewriteEval when the call is a direct eval; the realm's replacement of
// eval (bindings/builtins) applies it to the code of an indirect eval, whose
// var scope is the global one. The code the Function constructors compile
// is not rewritten.
//
// Rewrite also gives scripts Annex B's var declarations in catch blocks
// (https://tc39.es/ecma262/#sec-variablestatements-in-catch-blocks), which
// goja's compiler rejects when they have the catch parameter's name.
package blockfunc
