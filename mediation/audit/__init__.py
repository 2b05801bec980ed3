"""The tamper-evident case history, and the audit log of the privileged operations that are no case event.

- chain.py: how an event (or an audit entry) is hashed and linked to the one before it (pure functions);
- guard.py: the database triggers that make case_event (and the other records) append-only, and the
  one way around them for test and benchmark clean-ups;
- verify.py: walking every case's chain, then the log's (log_verify.py) (``flask audit verify``, commands.py);
- log.py: writing an audit entry (``audit_record``); selectors.py, forms.py, views.py: its page.
"""
