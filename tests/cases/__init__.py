"""Service tests of the cases package: intake, workflow services and concurrent edits."""
