# The node image used by docker-compose.yml: the jixiao package and its pinned dependencies.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY projections projections
COPY api api
COPY consumers consumers
COPY infra infra
RUN pip install --no-cache-dir . && useradd --create-home jixiao \
    && mkdir -p /var/lib/jixiao && chown jixiao /var/lib/jixiao
USER jixiao
EXPOSE 8000
CMD ["jixiao", "--help"]
