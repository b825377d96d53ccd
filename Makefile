# enrichd — build, test, demo, install.
#
# `make install` honours PREFIX (default /usr/local) and DESTDIR (staged installs); it installs what
# `swift build -c $(CONFIGURATION)` built, building only when the binaries are missing or older than the sources.
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
CONFIGURATION ?= release
BINDIR ?= $(PREFIX)/bin
# systemd searches $(PREFIX)/lib/... for PREFIX=/usr/local and /usr alike (units, sysusers, tmpfiles, catalogs).
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
CATALOGDIR ?= $(PREFIX)/lib/systemd/catalog
DOCDIR ?= $(PREFIX)/share/doc/enrichd
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
BUILDDIR ?= .build/$(CONFIGURATION)
PROGRAMS := enrichd enrichctl leadspace-sandbox
BINARIES = $(addprefix $(BUILDDIR)/,$(PROGRAMS))

.PHONY: all build deps test test-tsan test-systemd demo binaries install uninstall lint clean bench fuzz

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	swift build -c $(CONFIGURATION)

# Unit, contract and system tests (the system tests run the real binaries; the journald test needs root), then,
# as root, the service under a real systemd (on the debug build just made).
test: deps
	swift build --build-tests --explicit-target-dependency-import-check error
	swift test --skip-build
	@if [ "$$(id -u)" = 0 ] && command -v systemd-nspawn >/dev/null; then \
		$(MAKE) --no-print-directory test-systemd CONFIGURATION=debug; \
	else \
		echo "SKIPPED: the systemd service test needs root and systemd-nspawn (make test-systemd as root)" >&2; \
	fi

# ThreadSanitizer: every test target and the binaries the system tests start, built with -sanitize=thread in
# their own scratch path; the daemon's unit tests and the system tests that run jobs concurrently (several jobs,
# reloads, status polls, shutdown drains, kill -9). Reports from any process go to TSAN_REPORTS; one fails the run.
TSAN_REPORTS ?= $(CURDIR)/.build-tsan/reports
TSAN_TESTS ?= DaemonTests|SchedulingTests|PayOnceTests|CrashSafetyTests|HostileAPITests|BulkModeTests|RowsExplainedTests|LifecycleTests
test-tsan: deps
	swift build --build-tests --sanitize=thread --scratch-path .build-tsan
	rm -rf $(TSAN_REPORTS) && mkdir -p $(TSAN_REPORTS)
	TSAN_OPTIONS="log_path=$(TSAN_REPORTS)/report halt_on_error=0 second_deadlock_stack=1" \
		swift test --skip-build --sanitize=thread --scratch-path .build-tsan --filter '$(TSAN_TESTS)'
	@if ls $(TSAN_REPORTS)/report* >/dev/null 2>&1; then \
		echo "ThreadSanitizer reported races:" >&2; head -n 60 $(TSAN_REPORTS)/report* >&2; exit 1; \
	else echo "ThreadSanitizer: no reports"; fi

# The main job end to end on the built-in sandbox: 2,000 sample accounts through a throw-away spool.
demo: deps
	@scripts/demo.sh

# libFuzzer on the descriptor/config parser, the CSV reader, the response decoder and the stored-answer decoder
# (FUZZ_SECONDS each, default 60).
fuzz:
	@scripts/fuzz.sh

# Benchmarks (issues 6 and 9) on release binaries against the sandbox, loopback only, ~8 minutes; writes
# docs/BENCHMARKS.md. Not part of `make test`. BENCH_ONLY=rate,cost,... runs a subset (see Benchmarks/run.sh).
bench:
	@Benchmarks/run.sh

lint:
	swift format lint --recursive --configuration .swift-format Sources Tests

# Builds only when a binary is missing or a source is newer than the newest binary (SwiftPM relinks just the
# binaries a change touches, and even its null build takes a while), so an install after `swift build` builds nothing.
binaries:
	@newest=$$(ls -t $(BINARIES) 2>/dev/null | head -n 1); \
	if [ "$$(ls $(BINARIES) 2>/dev/null | wc -l)" != $(words $(BINARIES)) ] \
	   || [ -n "$$(find Package.swift Sources -newer "$$newest" -print -quit)" ]; then \
		echo "swift build -c $(CONFIGURATION)"; swift build -c $(CONFIGURATION); \
	fi

# Installs binaries, the unit (its /usr/local paths rewritten to PREFIX), sysusers/tmpfiles snippets, the journal
# catalog, enrichctl's bash/zsh/fish completions (job ids and connection names are completed from the spool and
# the configuration), the README and, unless one exists, the configuration. Then, on the target system:
#   systemd-sysusers; systemd-tmpfiles --create; journalctl --update-catalog; systemctl daemon-reload
install: binaries
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
		$(DESTDIR)$(CATALOGDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BINARIES) $(DESTDIR)$(BINDIR)/
	sed -e 's|/usr/local/bin/|$(BINDIR)/|g' -e 's|/usr/local/share/doc/enrichd/|$(DOCDIR)/|g' \
		-e 's|/etc/enrichd/|$(SYSCONFDIR)/enrichd/|g' systemd/enrichd.service > $(DESTDIR)$(UNITDIR)/enrichd.service.tmp
	chmod 0644 $(DESTDIR)$(UNITDIR)/enrichd.service.tmp
	mv -f $(DESTDIR)$(UNITDIR)/enrichd.service.tmp $(DESTDIR)$(UNITDIR)/enrichd.service
	install -m 0644 systemd/enrichd.sysusers.conf $(DESTDIR)$(SYSUSERSDIR)/enrichd.conf
	install -m 0644 systemd/enrichd.tmpfiles.conf $(DESTDIR)$(TMPFILESDIR)/enrichd.conf
	install -m 0644 systemd/enrichd.catalog $(DESTDIR)$(CATALOGDIR)/enrichd.catalog
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(BUILDDIR)/enrichctl --generate-completion-script bash > $(DESTDIR)$(BASHCOMPDIR)/enrichctl.tmp
	mv -f $(DESTDIR)$(BASHCOMPDIR)/enrichctl.tmp $(DESTDIR)$(BASHCOMPDIR)/enrichctl
	$(BUILDDIR)/enrichctl --generate-completion-script zsh > $(DESTDIR)$(ZSHCOMPDIR)/_enrichctl.tmp
	mv -f $(DESTDIR)$(ZSHCOMPDIR)/_enrichctl.tmp $(DESTDIR)$(ZSHCOMPDIR)/_enrichctl
	$(BUILDDIR)/enrichctl --generate-completion-script fish > $(DESTDIR)$(FISHCOMPDIR)/enrichctl.fish.tmp
	mv -f $(DESTDIR)$(FISHCOMPDIR)/enrichctl.fish.tmp $(DESTDIR)$(FISHCOMPDIR)/enrichctl.fish
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/enrichd
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/enrichd/enrichd.json ]; then \
		echo "keeping existing $(DESTDIR)$(SYSCONFDIR)/enrichd/enrichd.json"; \
	else \
		echo "install -m 0644 etc/enrichd/enrichd.json $(DESTDIR)$(SYSCONFDIR)/enrichd/enrichd.json"; \
		install -m 0644 etc/enrichd/enrichd.json $(DESTDIR)$(SYSCONFDIR)/enrichd/enrichd.json; \
	fi

# Removes what install installed; never the configuration, the token, the spool or the daemon's state.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(PROGRAMS))
	rm -f $(DESTDIR)$(UNITDIR)/enrichd.service $(DESTDIR)$(SYSUSERSDIR)/enrichd.conf \
		$(DESTDIR)$(TMPFILESDIR)/enrichd.conf $(DESTDIR)$(CATALOGDIR)/enrichd.catalog $(DESTDIR)$(DOCDIR)/README.md
	rm -f $(DESTDIR)$(BASHCOMPDIR)/enrichctl $(DESTDIR)$(ZSHCOMPDIR)/_enrichctl $(DESTDIR)$(FISHCOMPDIR)/enrichctl.fish
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true

# The unit, sysusers, tmpfiles and catalog under a real systemd (PID 1 of a throw-away systemd-nspawn container
# over an overlay of /): installs with DESTDIR, runs jobs, reload, watchdog, stop. Needs root.
test-systemd: binaries
	CONFIGURATION=$(CONFIGURATION) Tests/Scripts/systemd-service-test.sh

clean:
	swift package clean
