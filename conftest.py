"""Test-run defaults, set before Django's settings load.

Tasks run eagerly (in-process, after commit) unless a test starts a real worker; the database
and Redis come from DATABASE_URL / REDIS_URL when set (CI), else SQLite and no Redis.
"""

import os
import tempfile

os.environ.setdefault("TESTING", "true")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
_scratch = tempfile.mkdtemp(prefix="rednote-test-")
os.environ.setdefault("MEDIA_ROOT", os.path.join(_scratch, "media"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", os.path.join(_scratch, "private"))
