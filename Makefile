# enrichd — build, test, demo, install.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(DESTDIR)$(PREFIX)/bin
UNITDIR ?= /lib/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
TMPFILESDIR ?= /usr/lib/tmpfiles.d
CATALOGDIR ?= /usr/lib/systemd/catalog
SYSCONFDIR ?= /etc
CONFIGURATION ?= release

.PHONY: all build deps test demo install uninstall lint clean

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	swift build -c $(CONFIGURATION)

# Unit, contract and system tests (the system tests run the real binaries; the journald test needs root).
test: deps
	swift build --build-tests
	swift test --skip-build

# The main job end to end on the built-in sandbox: 2,000 sample accounts through a throw-away spool.
demo: deps
	@scripts/demo.sh

lint:
	swift format lint --recursive --configuration .swift-format Sources Tests

install: build
	install -d $(BINDIR)
	install -m 0755 $$(swift build -c $(CONFIGURATION) --show-bin-path)/enrichd $(BINDIR)/enrichd
	install -m 0755 $$(swift build -c $(CONFIGURATION) --show-bin-path)/enrichctl $(BINDIR)/enrichctl
	install -m 0755 $$(swift build -c $(CONFIGURATION) --show-bin-path)/leadspace-sandbox $(BINDIR)/leadspace-sandbox

uninstall:
	rm -f $(BINDIR)/enrichd $(BINDIR)/enrichctl $(BINDIR)/leadspace-sandbox

clean:
	swift package clean
