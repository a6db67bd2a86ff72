"""Notifications: the transports that carry alerts and messages, and their delivery log.

Owns :class:`~beredt.notify.models.Message` (one message to one address on one channel, with
its status) and :class:`~beredt.notify.models.DeliveryAttempt` (every try, with the error).
``transports.py`` has one small :class:`~beredt.notify.transports.Transport` subclass per
channel (e-mail over SMTP, SMS through a generic HTTP gateway, webhook, in-app);
``services.py`` queues messages and delivers them with retries, backoff and fall-over to the
next channel, in one place. Callers (``activation`` for alarms, later ``followup`` for
outreach campaigns) create messages with :func:`~beredt.notify.services.queue_messages`
and enqueue :func:`~beredt.notify.tasks.deliver_messages` in the same transaction.

May import: ``core``, ``accounts``. Nothing else of ours imports it except the apps that send.
"""
