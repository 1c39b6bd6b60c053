# The linux appliance (images/linux/, see its README.md): build.ts keeps a stamp of every
# input, so it is asked on each `make` and returns at once when nothing changed. Without
# Node, tsx or Debian's i386 packages it prints one line and the other appliances build on.
.PHONY: linux
all: linux
linux:
	@if command -v node >/dev/null 2>&1 && [ -d ../node_modules/tsx ]; then \
	  node --import tsx linux/build.ts; \
	else \
	  echo "linux: skipped, it needs Node.js and npm packages (npm ci)"; \
	fi
