"""Writes of the administration pages and commands: users, venues, employers' codes and master records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from mediation import policy
from mediation.audit.log import audit_record, changes
from mediation.auth.passwords import check_new_password
from mediation.common.errors import NotPermitted, ValidationFailed
from mediation.common.identity import InvalidIdentifier, check_uscc
from mediation.extensions import db
from mediation.models import ROLES, VENUE_KINDS, Case, Employer, Region, User, Venue
from mediation.models.user import new_session_token


def _fail(field: str, message) -> ValidationFailed:  # noqa: ANN001
    return ValidationFailed(_l("Please correct the marked fields."), field_errors={field: [str(message)]})


def _require_admin(actor: User | None) -> None:
    """The views check this too; the services check it for every other caller (API, scripts)."""
    if actor is not None and not policy.can_manage_users(actor):
        raise NotPermitted(_l("Your role may not take this action."))


def _require_in_scope(actor: User | None, obj: User | Venue | None) -> None:
    if actor is not None and obj is not None and not policy.can_see_region(actor, obj.region):
        raise NotPermitted(_l("You may only manage your own region."))


def _region_in_scope(actor: User | None, code: str) -> Region:
    code = (code or "").strip()
    region = db.session.get(Region, code) if code else None
    if region is None:
        raise _fail("region_code", _l("Unknown region."))
    if actor is not None and not policy.can_see_region(actor, region):
        raise NotPermitted(_l("You may only manage your own region."))
    return region


def user_create(*, actor: User | None, username: str, full_name: str, role: str, region_code: str,
                password: str) -> User:
    """Create a user; `actor` None means the command line (no scope limit)."""
    _require_admin(actor)
    username = (username or "").strip()
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").isalnum():
        raise _fail("username", _l("A username is 1 to 64 letters, digits, dots or underscores."))
    if db.session.execute(select(User.id).where(func.lower(User.username) == username.lower())).first():
        raise _fail("username", _l("This username is taken."))
    if role not in ROLES:
        raise _fail("role", _l("Unknown role."))
    full_name = (full_name or "").strip() or username
    if len(full_name) > 64:
        raise _fail("full_name", _l("At most %(n)d characters.", n=64))
    region = _region_in_scope(actor, region_code)
    check_new_password(password, username=username)
    user = User(username=username, full_name=full_name, role=role, region_code=region.code, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit_record(actor=actor, action="user.create", region_code=user.region_code, target_kind="user",
                 target_id=user.id, detail={"username": user.username, **_user_fields(user)})
    return user


def _user_fields(user: User) -> dict:
    """What the audit log follows of a user (never the password or the session token)."""
    return {"full_name": user.full_name, "role": user.role, "region_code": user.region_code, "active": user.active}


def user_update(*, actor: User | None, user: User, full_name: str, role: str, region_code: str, active: bool,
                password: str = "") -> None:
    """Change a user's name, role, region or active flag (and reset the password); the actor is
    None on the command line."""
    _require_admin(actor)
    _require_in_scope(actor, user)
    if role not in ROLES:
        raise _fail("role", _l("Unknown role."))
    if not (full_name or "").strip() or len(full_name.strip()) > 64:
        raise _fail("full_name", _l("At most %(n)d characters.", n=64))
    region = _region_in_scope(actor, region_code)
    if actor is not None and user.id == actor.id and (not active or role != "admin"):
        raise _fail("role", _l("You cannot remove your own administrator access."))
    if password:
        check_new_password(password, username=user.username)
        user.set_password(password)  # also ends the user's sessions
    if not active and user.active:
        user.session_token = new_session_token()  # a deactivated user is signed out now
    before = _user_fields(user)
    user.full_name, user.role, user.region_code, user.active = full_name.strip(), role, region.code, active
    db.session.flush()
    changed = changes(before, _user_fields(user))
    if changed or password:  # a save that changes nothing is no operation to record
        audit_record(actor=actor, action="user.update", region_code=user.region_code, target_kind="user",
                     target_id=user.id, detail={"username": user.username, "changes": changed,
                                                "password_reset": bool(password)})


def user_deactivate(*, actor: User | None, user: User) -> bool:
    """Deactivate a user, ending their sessions; False when they already were inactive."""
    if not user.active:
        return False
    user_update(actor=actor, user=user, full_name=user.full_name, role=user.role, region_code=user.region_code,
                active=False)
    return True


def venue_save(*, actor: User | None, venue: Venue | None, name: str, kind: str, region_code: str,
               address: str = "", active: bool = True) -> Venue:
    _require_admin(actor)
    _require_in_scope(actor, venue)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise _fail("name", _l("A name of 1 to 120 characters is required."))
    if kind not in VENUE_KINDS:
        raise _fail("kind", _l("Unknown kind of venue."))
    if len(address or "") > 200:
        raise _fail("address", _l("At most %(n)d characters.", n=200))
    region = _region_in_scope(actor, region_code)
    created = venue is None
    if venue is None:
        venue = Venue()
        db.session.add(venue)
    before = {} if created else _venue_fields(venue)
    venue.name, venue.kind, venue.region_code = name, kind, region.code
    venue.address, venue.active = (address or "").strip(), active
    db.session.flush()
    changed = changes(before, _venue_fields(venue))
    if changed:  # a save that changes nothing is no operation to record
        audit_record(actor=actor, action="venue.create" if created else "venue.update", region_code=venue.region_code,
                     target_kind="venue", target_id=venue.id, detail={"name": venue.name, "changes": changed})
    return venue


def _venue_fields(venue: Venue) -> dict:
    return {"name": venue.name, "kind": venue.kind, "region_code": venue.region_code, "address": venue.address,
            "active": venue.active}


def employer_accept_code(*, actor: User, uscc: str, name: str) -> Employer:
    """A supervisor accepts a code that fails its checksum, as printed on the licence."""
    if not policy.can_override_uscc(actor):
        raise NotPermitted(_l("Only a supervisor may accept such a code."))
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise _fail("name", _l("A name of 1 to 120 characters is required."))
    try:
        checked = check_uscc(uscc)
    except InvalidIdentifier as exc:
        raise _fail("uscc", exc) from None
    employer = db.session.execute(select(Employer).where(Employer.uscc == checked.value)).scalar_one_or_none()
    if employer is None:
        employer = Employer(uscc=checked.value, name=name)
        db.session.add(employer)
    employer.uscc_checksum_overridden = checked.checksum_failed
    db.session.flush()
    # An employer has no region: the entry is the accepting supervisor's region's.
    audit_record(actor=actor, action="employer.accept_code", region_code=actor.region_code, target_kind="employer",
                 target_id=employer.id, detail={"uscc": employer.uscc, "name": employer.name,
                                                "checksum_failed": checked.checksum_failed})
    return employer


MASTER_FIELDS = {"name": 120, "legal_representative": 64, "address": 200}
MAX_REASON = 500


def employer_master_in_scope(actor: User, uscc: str) -> Employer | None:
    """The master record of the credit code, if an employer of that code has a case in the actor's
    scope: the record has no region, and nobody learns of or changes an employer that only other
    regions know."""
    try:
        code = check_uscc(uscc).value
    except InvalidIdentifier:
        return None
    employer = db.session.scalar(select(Employer).where(Employer.uscc == code))
    if employer is None:
        return None
    seen = db.session.scalar(select(Case.id).where(Case.employer_id == employer.id, policy.in_scope(actor)).limit(1))
    return employer if seen is not None else None


def employer_master_update(*, actor: User, employer: Employer, name: str, legal_representative: str,
                           address: str, reason: str) -> dict[str, list]:
    """Change an employer's master record (what the risk register and statistics name it by), with
    a reason, in the audit log. No case changes: each keeps the employer as it recorded it, and a
    correction on the case changes that (mediation/cases/party_corrections.py). Returns the changes."""
    if not policy.can_edit_employer_master(actor):
        raise NotPermitted(_l("Only a supervisor or an administrator may change an employer's master record."))
    if employer_master_in_scope(actor, employer.uscc) is None:
        raise NotPermitted(_l("You may only change employers that have a case in your region."))
    values = {"name": name, "legal_representative": legal_representative, "address": address}
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        text = value.strip() if value is not None else None
        if text is None or (field == "name" and not text):
            errors[field] = [str(_l("This field is required."))]
        elif len(text) > MASTER_FIELDS[field]:
            errors[field] = [str(_l("At most %(n)d characters.", n=MASTER_FIELDS[field]))]
        else:
            values[field] = text
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [str(_l("This field is required."))]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [str(_l("At most %(n)d characters.", n=MAX_REASON))]
    if errors:
        raise ValidationFailed(_l("Please correct the marked fields."), field_errors=errors)
    changed = changes({field: getattr(employer, field) for field in MASTER_FIELDS}, values)
    if not changed:
        raise ValidationFailed(_l("Nothing to change: the master record already reads so."))
    for field, (_before, after) in changed.items():
        setattr(employer, field, after)
    db.session.flush()
    # An employer has no region: the entry is the changing user's region's.
    audit_record(actor=actor, action="employer.update", region_code=actor.region_code, target_kind="employer",
                 target_id=employer.id, detail={"uscc": employer.uscc, "changes": changed, "reason": reason})
    return changed
