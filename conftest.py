"""Test-run settings live in tests/settings.py (DJANGO_SETTINGS_MODULE in pyproject.toml).

pytest-django loads them before any conftest.py is imported: fast hashing, eager tasks,
mandatory e-mail verification, scratch media per process and a Redis database per xdist
worker. DATABASE_URL / REDIS_URL come from the environment when set (CI), else SQLite and no
Redis.
"""
