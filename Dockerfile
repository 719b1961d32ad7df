# syntax=docker/dockerfile:1
# Build a static warden binary, then ship it alone in a distroless image as a
# non-root user. Base images are pinned by digest; the tag beside each says
# what it is.

FROM golang:1.26-bookworm@sha256:9fdc884aacc3bec89b20ffc69f4bb369c78210e3e4f600387b5128b12c199f81 AS build
# go.mod asks for Go 1.26.8; the go command fetches it (checksum-verified)
# if the image's toolchain is older.
ENV GOTOOLCHAIN=auto CGO_ENABLED=1
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# cgo (tree-sitter grammars) linked statically; netgo/osusergo keep libc's
# resolver and user database out of the binary.
RUN go build -trimpath -tags netgo,osusergo \
      -ldflags "-s -w -X main.buildVersion=${VERSION} -linkmode external -extldflags -static" \
      -o /out/warden ./cmd/warden

FROM gcr.io/distroless/static-debian12:nonroot@sha256:d093aa3e30dbadd3efe1310db061a14da60299baff8450a17fe0ccc514a16639
COPY --from=build /out/warden /usr/local/bin/warden
USER 65532:65532
WORKDIR /home/nonroot
# 8080: the webhook (public). /metrics and /readyz are on WARDEN_ADMIN_LISTEN
# (loopback by default; set :9090 and keep it off the internet).
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/warden"]
CMD ["serve"]
