"""Password rules whose messages Django's own catalogues do not translate.

Django 5.2 changed the minimum-length message to `%d`, and its zh_Hans catalogue still carries
only the old `%(min_length)d` form, so Chinese sign-ups saw this one error in English. The
subclass says the same thing through our catalogue.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(n)d character.",
            "This password is too short: use at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at least %(n)d character.",
            "Your password must contain at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}
