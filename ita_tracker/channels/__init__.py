"""Notification channels: each module has ``send(message)`` and is registered with
``ita_tracker.notify.register_channel``."""
