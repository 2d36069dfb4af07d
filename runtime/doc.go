// Package runtime is the public embedding API of wsjs: it creates isolated JavaScript
// runtimes, each a goja interpreter driven by its own HTML event loop with the web APIs
// installed on its global object, loads JavaScript and TypeScript files (bundling their
// ES module imports and npm packages into one classic script with esbuild, with source
// maps so errors name the original files), runs them until nothing is left to do, and
// reports uncaught errors the way a browser or a command-line runtime does. Scripts may
// start dedicated workers (new Worker) and shared workers (new SharedWorker), each a
// runtime of its own on its own goroutine, and talk to them through messages and
// MessagePorts; a runtime whose BaseURL is a secure context may register service
// workers (navigator.serviceWorker), which are installed, activated and messaged as
// the Service Workers spec says but intercept no requests, since a runtime has no
// navigations and its fetches always go to the network.
package runtime
