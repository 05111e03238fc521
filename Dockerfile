# syntax=docker/dockerfile:1
# The codex-k8s image: one binary (`codex-k8s operator`, `codex-k8s webhook`, ...), the Swift
# standard library and Foundation linked in statically, on a slim Debian with only the C
# libraries the binary links: libcurl, libyaml, libpq and OpenSSL (+ CA certificates).
#   docker build -t codex-k8s:dev .
#   kind load docker-image codex-k8s:dev     # or: minikube image load codex-k8s:dev
# ReleaseBinaryTests (scripts/check-release-binary) checks that the binary needs no other library.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# --- build --------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4-openssl-dev libyaml-dev libpq-dev libssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Static Swift runtime, every function in its own section, laid out hot-first by lld from
# deploy/codex-k8s.order (scripts/build-release; docs/performance.md, "Operator", code layout).
RUN binary="$(scripts/build-release)" && install -D -m 0755 "$binary" /out/codex-k8s

# --- runtime ------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4 libyaml-0-2 libpq5 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 65532 codex \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin codex
COPY --from=build /out/codex-k8s /usr/local/bin/codex-k8s
# Bind every library's symbols at start-up, not on first call: a lazy binding in the middle of a
# burst looks the symbol up in every library's hash and string tables, faulting ≈ 1–1.7 MiB of
# them back into the operator's RSS after it dropped its start-up pages (docs/performance.md,
# "Operator", memory). Also full RELRO for the libraries. DockerfileTests checks both.
ENV LD_BIND_NOW=1
COPY examples/config.yaml /etc/codex-k8s/config.example.yaml
# Numeric, so runAsNonRoot can verify it without reading /etc/passwd.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/codex-k8s"]
CMD ["--help"]
