"""Background work of the service data: bringing cases up to date after events arrive."""

from django_tasks import task

from .models import Stream


@task()
def catch_up_task(stream_id: int) -> int:
    from .ingest import catch_up

    stream = Stream.objects.filter(pk=stream_id).first()
    return catch_up(stream) if stream else 0
