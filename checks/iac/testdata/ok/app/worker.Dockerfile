FROM python:3.13.1-slim-bookworm@sha256:1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef
ENV PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends libpq5=15.10-0+deb12u1 && rm -rf /var/lib/apt/lists/*
RUN pip install --upgrade pip && pip install -r requirements.txt && pip install celery==5.4.0
RUN useradd --uid 10001 worker
USER worker
CMD ["celery", "worker"]
