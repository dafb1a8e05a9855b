"""gunicorn settings for every app host (systemd's consortium-web.service and ``make test-cluster``).

Threads, not processes, carry the concurrency: a request mostly waits on PostgreSQL. nginx keeps idle
connections to each host for 60 s, so gunicorn keeps them longer: a connection closed by the host just
as nginx reuses it would fail a request.
"""

import os

bind = os.environ.get("CONSORTIUM_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = 4
keepalive = 75
timeout = 60  # a worker stuck this long is killed and replaced
graceful_timeout = 30  # on SIGTERM (deploys), requests in progress get this long to finish
accesslog = "-"  # to the journal
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# No control socket (gunicorn 25+ would create one in the service user's home, which systemd keeps
# read-only): `systemctl reload consortium-web` sends the HUP that replaces the workers.
control_socket_disable = True
