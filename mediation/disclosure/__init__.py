"""Full ID numbers and phones, shown only on an explicit request that is recorded first.

Everywhere else (case pages, lists, exports, printed papers, the API's case documents) they are
masked. A user the case needs them from (policy.can_see_personal_data) asks to "show" them and
gives a purpose; the record of who, when, which case, why and from where is written before the
numbers are sent (services.personal_data_show). Admins and supervisors read those records.
"""
