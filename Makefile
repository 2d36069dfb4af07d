# Everyday commands. A fresh machine needs only Go (see go.mod for the version).
GO ?= go

.PHONY: demo test build bench fmt

demo:
	$(GO) run ./examples/demo

test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race ./...

build:
	$(GO) build -o bin/wsjs ./cmd/wsjs

bench: build
	scripts/bench

fmt:
	gofmt -w $$(git ls-files '*.go')

.PHONY: fuzz soak

# fuzz runs each fuzz target of each package for FUZZTIME, one after the other
# (`make test` only replays their seed corpora and the inputs kept in testdata).
FUZZTIME ?= 10s
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 100x $$pkg; \
		done; \
	done

# soak runs the load and soak tests, which `make test` leaves out: 10,000 concurrent
# WebSocket connections, 100,000 connect/close cycles and 1,000,000 messages in one
# runtime, with memory and goroutines checked afterwards.
soak:
	$(GO) test -tags soak -run '^TestSoak' -count=1 -timeout 30m -v ./bindings/websocket/
