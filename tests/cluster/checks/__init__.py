"""The checks, in the order the runner calls them; each reads what the hosts committed and raises
``AssertionError`` with what it found when a rule was broken, and adds its figures to the report."""
