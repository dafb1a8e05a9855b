"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

import gc

from consortium.app import create_app

app = create_app()

# What the app built above (code, templates, catalogues, the framework) lives as long as the worker: frozen,
# the garbage collector no longer walks it on every pass. And a page allocates tens of thousands of
# short-lived objects (rows, template output) that reference counting frees: collecting the young
# generation every 700 of them cost 5-9 % of a page's CPU (issue 14), every 20,000 it costs next to nothing.
gc.collect()
gc.freeze()
gc.set_threshold(20_000, 20, 100)
