import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


def make_task(status, started_minutes_ago):
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="beredt.x.y",
        backend_name="default", queue_name="default", run_after=timezone.now(),
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        exception_class_path="", traceback="",
    )


def test_abandoned_running_tasks_are_requeued_and_recent_ones_kept():
    abandoned = make_task(TaskResultStatus.RUNNING, 30)
    recent = make_task(TaskResultStatus.RUNNING, 1)
    done = make_task(TaskResultStatus.SUCCESSFUL, 30)
    out = io.StringIO()
    call_command("requeuestale", "--older-than", "600", stdout=out)
    assert "Requeued 1" in out.getvalue()
    abandoned.refresh_from_db()
    recent.refresh_from_db()
    done.refresh_from_db()
    assert abandoned.status == TaskResultStatus.READY
    assert abandoned.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=abandoned.pk).exists()
    assert recent.status == TaskResultStatus.RUNNING
    assert done.status == TaskResultStatus.SUCCESSFUL
