// Package location binds HTML's WorkerLocation interface
// (https://html.spec.whatwg.org/multipage/workers.html#worker-locations) to a
// webidl.Realm and installs it as the global `location`: a read-only view of
// the realm's API base URL, as a worker's global scope has. Scripts, and the
// test harnesses of web-platform-tests, read location.href, location.origin,
// location.search and the like from it.
package location
