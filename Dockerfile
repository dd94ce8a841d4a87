# The one image for web (gunicorn), worker and beat: `docker compose up` builds it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: compilemessages at build time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 rednote \
    && useradd --system --uid 1000 --gid rednote --create-home rednote

WORKDIR /app

# Dependencies first, so code changes do not reinstall them. The project is not a package:
# install the pinned runtime dependencies listed in pyproject.toml.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Translations, hashed and compressed static files, and the reading aids' dictionary files
# (translations.reading) are baked into the image. The settings
# need a SECRET_KEY to load with DEBUG off; this one exists only during the build.
RUN DEBUG=false SECRET_KEY=build-only-not-secret ENV_FILE= \
        python manage.py compilemessages --ignore .venv \
    && DEBUG=false SECRET_KEY=build-only-not-secret ENV_FILE= \
        python manage.py collectstatic --noinput \
    && DEBUG=false SECRET_KEY=build-only-not-secret ENV_FILE= \
        python manage.py reading_build \
    && mkdir -p /app/media /app/var/private \
    && chown -R rednote:rednote /app/media /app/var

USER rednote

ENV DEBUG=false \
    MEDIA_ROOT=/app/media \
    PRIVATE_MEDIA_ROOT=/app/var/private

EXPOSE 8000

CMD ["gunicorn", "rednote.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
