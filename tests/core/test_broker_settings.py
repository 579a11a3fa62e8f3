"""The web publishes with a short broker timeout; the worker and beat keep patient connections."""

from portal import create_app

REDIS = "redis://127.0.0.1:6379/0"


def celery_for(tmp_path, role: str):
    overrides = {"CELERY_BROKER_URL": REDIS, "INSTANCE_DIR": str(tmp_path), "CELERY_ROLE": role}
    return create_app("testing", overrides).extensions["celery"]


def test_the_web_gives_the_broker_one_short_attempt(tmp_path):
    conf = celery_for(tmp_path, "web").conf
    assert conf.broker_transport_options["socket_timeout"] == 1.5
    assert conf.broker_transport_options["max_retries"] == 0
    assert conf.task_publish_retry is False


def test_the_worker_waits_out_a_frozen_broker_and_watches_its_connection(tmp_path):
    conf = celery_for(tmp_path, "worker").conf
    options = conf.broker_transport_options
    assert options["socket_timeout"] == 60
    assert options["socket_keepalive"] is True
    assert options["health_check_interval"] > 0
    assert "max_retries" not in options
    assert conf.broker_connection_max_retries is None


def test_beat_sends_the_worker_heartbeat_with_an_expiry(tmp_path):
    entry = celery_for(tmp_path, "worker").conf.beat_schedule["worker-heartbeat"]
    assert entry["task"] == "portal.core.tasks.record_worker_heartbeat"
    assert entry["options"]["expires"] == entry["schedule"]
