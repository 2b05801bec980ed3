"""Bulk import of existing case ledgers (CSV or XLSX): read, validate every row, then write all
valid cases in one transaction. See services.py for the flow and writer.py for how a ledger's
outcome becomes a case's state and dates."""
