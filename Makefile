# Everyday commands. A fresh machine needs only Go (see go.mod for the version).
GO ?= go

.PHONY: demo test build bench fmt

demo:
	$(GO) run ./cmd/wsjs run examples/demo.ts

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
