"""The consortium platform's kernel: factory, unit of work, permissions, users, organisations, mail, audit,
shared reference data (``reference``), the registries features fill, and the layout."""
