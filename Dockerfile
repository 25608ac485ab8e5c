# Container image of promtool-cpp, distroless-style: the binary of `make dist` (everything but the
# C library linked statically), the C library it loads, a CA bundle and a nonroot user; no shell.
#   docker build -t promtool-cpp . && docker run --rm -v "$PWD:/work" promtool-cpp check metrics .
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates protobuf-compiler \
      libprotobuf-dev libabsl-dev libcli11-dev libcurl4-openssl-dev zlib1g-dev libssl-dev \
      libre2-dev libyaml-cpp-dev python3 \
      libnghttp2-dev libpsl-dev libssh2-1-dev libzstd-dev libunistring-dev libidn2-dev \
      libbrotli-dev \
 && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPROMTOOL_BUILD_TESTS=OFF -DPROMTOOL_BUILD_BENCHMARKS=OFF \
 && cmake --build /build --target promtool-cpp \
 && bash /src/dist/make-dist.sh /build /dist \
 && bash /src/dist/rootfs.sh /dist/promtool-cpp /rootfs

FROM scratch
COPY --from=build /rootfs/ /
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/bin/promtool-cpp"]
CMD ["--help"]
