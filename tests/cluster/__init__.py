"""``make test-cluster``: the production layout (deploy/) run as a small cluster on one Linux machine.

    bridge clbr0 10.77.0.1 (this process: the client, on .1 and .101-.105, and the SMTP server)
      |-- clu-db     10.77.0.2   PostgreSQL 15 and Redis of the test's own (datastores.py)
      |-- clu-proxy  10.77.0.5   nginx with deploy/nginx/consortium.conf, over TLS (proxy.py)
      |-- clu-app1   10.77.0.11  gunicorn (deploy/gunicorn.conf.py) and `flask mail worker`
      `-- clu-app2   10.77.0.12  the same (apphosts.py)

Not collected by pytest (no ``test_*`` modules): it needs root, nginx and minutes. ``cluster.py``
builds and always takes down everything; ``checks/`` holds what it proves; ``__main__`` runs them.
"""
