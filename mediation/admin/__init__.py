"""Administration: users, venues, and employers whose codes a supervisor accepted."""
