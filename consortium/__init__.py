"""The consortium platform's kernel: factory, shared services, users, organisations, layout."""
