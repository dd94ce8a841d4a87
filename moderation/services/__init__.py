"""Moderation services: every moderator action goes through here (never model saves in admin
code), and each writes its audit-log entry (`audit.audit_record`)."""
