// Package directeval rewrites the direct eval calls of a script, so that the
// realm's eval (bindings/builtins) sees each call's source before goja parses
// it.
//
// goja's parser panics on some source (a string literal holding the escape
// \u{10FFFF}), and goja parses an eval's source where no caller can recover:
// inside the interpreter, for a direct eval, and inside its own eval built-in
// for an indirect one. The built-ins therefore replace the global eval with a
// function that rewrites the source first, and keep goja's %eval% out of
// script's reach. goja treats a call as a direct eval only when its callee is
// an identifier named eval whose value is %eval% itself, so each such call is
// rewritten, before goja compiles the script, into
//
//	(__wsjs$eval.enter(), eval(__wsjs$eval.source(__wsjs$eval.leave(eval), args...)))
//
// enter makes the global eval %eval% for the callee's lookup, leave makes it
// the replacement again before any of the arguments runs, and source returns
// the first argument rewritten when the callee was %eval% (and as it is
// otherwise). Between enter and leave only identifier lookups run. Extra
// arguments are still evaluated, in order, and a spread first argument still
// gives the source.
//
// Rewrite rewrites a syntax tree, whose new nodes take the calls' positions;
// RewriteSource rewrites text (an eval's source, a Function constructor's),
// which shows in the source text of the functions it makes
// (Function.prototype.toString) and moves the columns after each call in
// their stack traces.
//
// A script the realm would compile (the loader's scripts, an eval's source, a
// Function constructor's) that names __wsjs$eval is refused with an error, as
// calling the hooks itself would hand it %eval%. Calls that cannot be
// rewritten keep their text and call the replacement: an indirect eval then.
// They are calls inside a with statement (whose object could run script while
// the global eval is %eval%), every call of a script that declares eval with
// let, const or as a parameter (whose lookup could throw after enter), in
// text the calls whose callee is parenthesized, escaped or followed by a
// comment, and calls of eval?.(), which are not direct.
package directeval
