"""The tamper-evident case history.

- chain.py: how an event is hashed and linked to the one before it (pure functions);
- guard.py: the database triggers that make case_event append-only, and the one way around
  them for test and benchmark clean-ups;
- verify.py: walking every case's chain (``flask audit verify``, commands.py).
"""
