"""Consultations (issue 16 §1): the legal questions workers bring by hotline 12351, in person or
online, logged by a union lawyer or mediator, listed per lawyer and region, counted in the
statistics, and taken in as a mediation case when the worker wants one.

Legal aid (issue 16 §2) is the second thing a consultation may become: when it exists, its
application takes the consultation the way `views.to_case` hands it to the intake page, and
links back through a column beside `Consultation.case_id`.
"""
