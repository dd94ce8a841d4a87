import os

import jieba
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")
application = get_wsgi_application()

# jieba loads its dictionary (about 1.4 s) on first use: do it as the server process starts,
# not in the first search or the first note someone posts.
jieba.setLogLevel("WARNING")
jieba.initialize()
