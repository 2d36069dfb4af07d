// Package navigator binds the navigator object of the HTML Standard
// (https://html.spec.whatwg.org/multipage/system-state.html#the-navigator-object):
// Navigator on a window's global object and WorkerNavigator on a worker's,
// with the members that say something true about this runtime: its user agent
// string, the platform it runs on, the user's languages, whether it is online
// and how many logical processors it may use. Members that only make sense
// for a browser (plugins, cookies, protocol handlers, service workers) are
// absent, so that feature detection tells the truth.
package navigator
