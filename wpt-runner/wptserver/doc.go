// Package wptserver is a Go stand-in for the server that web-platform-tests
// run against ("wpt serve"): it serves a WPT checkout over HTTP and HTTPS with
// wptserve's template substitution, pipes and .headers files, answers the
// Python helper scripts the websockets tests use, and runs a ws and a wss
// server whose handlers reproduce the observable behaviour of the
// websockets/handlers/*_wsh.py scripts under pywebsocket3, which its HTTP/2
// port also runs over extended CONNECT streams (RFC 8441). It creates its own
// certificate authority at start and resolves the WPT host names
// (web-platform.test and its subdomains) to the loopback address through
// Server.DialContext, so nothing outside the process needs configuring.
package wptserver
