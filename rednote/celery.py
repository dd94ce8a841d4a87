"""The Celery application: `celery -A rednote worker -Q default,images,feeds,translations`.

Configuration comes from Django settings (the `CELERY_*` names). Each queue can be served by
its own workers, so a burst of photo uploads never delays feed fan-out or translations.
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")

QUEUES = ("default", "images", "feeds", "translations")

app = Celery("rednote")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name, routing_key=name) for name in QUEUES]
app.autodiscover_tasks()
