"""The Celery application: `celery -A rednote worker -Q default,images,feeds,translations`."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")

app = Celery("rednote")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in ("default", "images", "feeds", "translations")]
app.autodiscover_tasks()
