"""The case core every domain builds on: shared checks, the case history, optimistic locking,
case numbers, and the table of case operations. It imports no domain package."""
