// Package manifest finds the testharness.js tests in a web-platform-tests
// checkout and expands each source file into the test URLs WPT's own manifest
// gives it: a .any.js file becomes one test per global scope its
// "// META: global=" line names (by default .any.html for a window and
// .any.worker.html for a dedicated worker), .window.js and .worker.js files
// get their generated .html pages, HTML files that load
// /resources/testharness.js are tests as they are, and every test URL is
// repeated for each "variant" the file declares. It also parses the
// "// META:" header of scripts and the few HTML elements a runner needs
// (<script>, <meta>, <title>, <base>), and builds the wrapper pages the WPT
// server generates for the files that have none.
package manifest
