// Package jsregexp reads ECMAScript regular expressions
// (https://tc39.es/ecma262/#sec-regexp-regular-expression-objects) for
// regexp2: it parses a pattern and its flags, reports their early errors as
// the SyntaxError an engine throws, and translates the pattern into one
// regexp2 matches the same way (translate.go, pattern.go, class.go).
//
// It is the one reading of patterns in wsjs: the built-ins' RegExp
// constructor compiles with Translate, and the script loader checks every
// regular expression literal of a script with Check before it runs, so a
// literal with an early error fails the script as a syntax error, as it
// does in an engine, whether or not it is ever evaluated. What Check reads is
// kept (a bounded cache per process), and the constructor finds it there.
//
// Property escapes take their sets from unicode.gz (Unicode 17), read once per
// process the first time a pattern names a property (unicode.go); the v
// flag's classes are computed as sets of code points and strings
// (charset.go).
package jsregexp
