# studybot in a container: build with the Rust toolchain, run on Debian slim
# as an unprivileged user, the database in the /data volume.
#   docker build -t studybot .
#   docker run -d --env-file .env -v studybot-data:/data -p 127.0.0.1:9090:9090 studybot
# Not built in this project's CI (its machines cannot run Docker): kept short
# and conventional on purpose.

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin studybot

FROM debian:bookworm-slim
# TLS uses rustls with bundled roots; ca-certificates is for a local Bot API
# server or proxy signed by the system's roots.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin studybot \
 && mkdir -p /data \
 && chown studybot:studybot /data
COPY --from=build /src/target/release/studybot /usr/local/bin/studybot
COPY content /app/content
ENV STUDYBOT_CONTENT=/app/content \
    STUDYBOT_DATABASE=sqlite:///data/studybot.db \
    STUDYBOT_HTTP=0.0.0.0:9090 \
    RUST_LOG=info
WORKDIR /data
VOLUME /data
EXPOSE 9090
USER studybot
# Exec form: studybot is PID 1 and gets docker's SIGTERM (it stops cleanly).
ENTRYPOINT ["studybot"]
CMD ["run"]
