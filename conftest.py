"""Test-run defaults live in rednote/settings.py, not here.

pytest-django loads the settings before any conftest.py is imported, so environment variables
set here would come too late for this process, yet xdist workers would inherit them: a
MEDIA_ROOT set here made parallel workers share (and wipe) one media directory. The settings
see pytest's PYTEST_VERSION instead and pick fast hashing, eager tasks, mandatory e-mail
verification and a scratch media directory per process; DATABASE_URL / REDIS_URL come from
the environment when set (CI), else SQLite and no Redis.
"""
