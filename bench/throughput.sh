#!/usr/bin/env bash
# Dashboard throughput under gunicorn with 1, 2 and 3 workers, driven by wrk on loopback.
# Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench_8000 bash bench/throughput.sh [USER]
# Needs: apt-get install wrk. The load generator shares the machine's two cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
USER_NAME="${1:-gen90.plan}"
PORT=8765
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_AGE=86400
export SECRET_KEY="bench-$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 60)"
export STATIC_ROOT=/tmp/ita-bench-static
.venv/bin/python manage.py collectstatic --noinput -v0
SESSION=$(.venv/bin/python manage.py shell -c "
from importlib import import_module
from django.conf import settings
from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
user = get_user_model().objects.get(username='$USER_NAME')
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk); store[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
store[HASH_SESSION_KEY] = user.get_session_auth_hash(); store.create(); print(store.session_key)" | tail -1)
echo "| gunicorn workers | requests/s | latency median | latency p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
for workers in 1 2 3; do
  WEB_CONCURRENCY=$workers GUNICORN_BIND=127.0.0.1:$PORT .venv/bin/gunicorn -c python:ita_tracker.gunicorn \
    --access-logfile /dev/null ita_tracker.wsgi >/tmp/ita-throughput-gunicorn.log 2>&1 &
  PID=$!
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break; sleep 0.2; done
  wrk -t1 -c8 -d5s -H "Cookie: sessionid=$SESSION" "http://127.0.0.1:$PORT/" >/dev/null  # warm-up
  OUT=$(wrk -t2 -c16 -d20s --latency -H "Cookie: sessionid=$SESSION" "http://127.0.0.1:$PORT/")
  RPS=$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')
  P50=$(echo "$OUT" | awk '$1=="50%" {print $2}')
  P99=$(echo "$OUT" | awk '$1=="99%" {print $2}')
  BAD=$(echo "$OUT" | awk '/Non-2xx/ {print $NF}')
  echo "| $workers | $RPS | $P50 | $P99 | ${BAD:-0} |"
  kill "$PID"; wait "$PID" 2>/dev/null || true
done
