"""Demo data: venues, logins for every role, and cases over every region and state.

Everything goes through the same services as the UI, so the demo histories are real ones.
Dates are spread over the past months; IDs and codes are generated with valid checksums
(Jilin birth-place codes, python-stdnum check digits) but belong to nobody.
"""

from __future__ import annotations

import datetime as dt
import random

from faker import Faker
from sqlalchemy import func, select
from stdnum.cn import ric, uscc

from mediation.admin.services import user_create, venue_save
from mediation.cases import services
from mediation.cases.intake import IntakeInput, WorkerInput, case_intake
from mediation.common.timeutil import today
from mediation.consultations.demo import demo_consultations
from mediation.enforcement.services import enforcement_start, judicial_confirmation_apply
from mediation.extensions import db
from mediation.hazards.demo import demo_hazards
from mediation.lawyers.services import conflict_declare, lawyer_profile_save, roster_add, roster_exception_add
from mediation.models import Case, Region, User, Venue
from mediation.settlements.ledger import payment_record
from mediation.settlements.schedule import InstallmentInput, schedule_set
from mediation.settlements.services import agreement_generate
from mediation.settlements.signing import required_parties, signature_record

# Where the demo's documents point their QR codes: the address `make run` serves.
DEMO_VERIFY_URL = "http://127.0.0.1:5000/verify"

DEMO_PASSWORD = "demo-pass-2026"

# (username, role, region code, full name)
DEMO_USERS = [
    ("admin", "admin", "220000", "系统管理员"),
    ("supervisor", "supervisor", "220000", "省总工会督导"),
    ("supervisor_cc", "supervisor", "220100", "长春市督导"),
    ("mediator_cc", "mediator", "220100", "长春调解员"),
    ("mediator_yb", "mediator", "222400", "延边调解员"),
    ("lawyer_cc", "lawyer", "220100", "长春工会律师"),
    ("lawyer_yb", "lawyer", "222400", "延边工会律师"),
]

DISPUTE_FACTS = [
    "用人单位拖欠{n}名劳动者{m}个月工资，多次催要未果。",
    "劳动者主张用人单位违法解除劳动合同，要求支付经济补偿。",
    "劳动者长期加班未获加班费，要求补发。",
    "用人单位未依法缴纳社会保险，劳动者要求补缴或赔偿。",
    "劳动者在工作中受伤，已认定工伤，要求支付工伤待遇。",
]


def has_cases() -> bool:
    return bool(db.session.execute(select(func.count(Case.id))).scalar())


# Real county codes of Jilin, for birth places python-stdnum knows.
BIRTH_PLACES = ["220102", "220103", "220104", "220105", "220182", "220202", "220281", "220302",
                "220402", "220502", "220581", "220602", "220702", "220802", "222401", "222403", "222405"]


def _resident_id(rng: random.Random, area: str) -> str:
    area = area if area in BIRTH_PLACES else rng.choice(BIRTH_PLACES)
    born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 38))
    body = f"{area}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def _uscc(rng: random.Random, area: str) -> str:
    body = "9" + "1" + area + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body + "0")


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "186", "187", "135", "158"]) + f"{rng.randrange(0, 10**8):08d}"


def _venues(prefectures: list[Region]) -> dict[str, list[Venue]]:
    by_region: dict[str, list[Venue]] = {}
    for region in prefectures:
        short = region.name_zh
        made = [
            venue_save(actor=None, venue=None, name=f"{short}中级人民法院劳动争议调解工作室",
                       kind="court_workroom", region_code=region.code),
            venue_save(actor=None, venue=None, name=f"{short}劳动人事争议仲裁委员会调解工作室",
                       kind="arbitration_workroom", region_code=region.code),
            venue_save(actor=None, venue=None, name=f"{short}总工会劳动争议调解委员会",
                       kind="union_committee", region_code=region.code),
        ]
        by_region[region.code] = made
    return by_region


def _lawyer(rng: random.Random, *, username: str, full_name: str, region: Region, korean: bool) -> User:
    kinds = ["wages", "overtime", "severance", "social_insurance", "work_injury"]
    licence = f"1{region.code[:4]}{rng.randint(2005, 2022)}1{rng.randint(0, 1)}{rng.randrange(10**6):06d}"
    return lawyer_profile_save(
        actor=None, user=None, username=username, full_name=full_name, region_code=region.code,
        password=DEMO_PASSWORD,
        law_firm=f"吉林{region.name_zh[:2]}{rng.choice(['正义', '同德', '法泰', '长白'])}律师事务所",
        licence_no=licence, phone=_phone(rng), languages=["zh", "ko"] if korean else ["zh"],
        specialties=rng.sample(kinds, 2))


Staff = dict[str, dict[str, list[User]]]  # prefecture code -> role -> users


def _users(prefectures: list[Region], rng: random.Random) -> tuple[list[tuple[str, str, str]], Staff]:
    """Demo logins, a mediator per prefecture, and two or three lawyers per prefecture."""
    logins = []
    staff: dict[str, dict[str, list[User]]] = {p.code: {"mediator": [], "lawyer": []} for p in prefectures}
    by_code = {p.code: p for p in prefectures}
    for username, role, region, name in DEMO_USERS:
        if role == "lawyer":
            user = _lawyer(rng, username=username, full_name=name, region=by_code[region], korean=region == "222400")
        else:
            user = user_create(actor=None, username=username, full_name=name, role=role,
                               region_code=region, password=DEMO_PASSWORD)
        logins.append((username, role, region))
        if role in ("mediator", "lawyer"):
            staff[region][role].append(user)
    for region in prefectures:
        if not staff[region.code]["mediator"]:
            staff[region.code]["mediator"].append(user_create(
                actor=None, username=f"mediator_{region.code}", full_name=f"{region.name_zh}调解员",
                role="mediator", region_code=region.code, password=DEMO_PASSWORD))
        wanted = 3 if region.code in ("220100", "222400") else 2
        for number in range(len(staff[region.code]["lawyer"]), wanted):
            staff[region.code]["lawyer"].append(_lawyer(
                rng, username=f"lawyer_{region.code}_{number}", full_name=f"{region.name_zh}律师{number + 1}",
                region=region, korean=region.code == "222400" and number % 2 == 1))
    return logins, staff


def _rosters(venues: dict[str, list[Venue]], staff: Staff, rng: random.Random) -> None:
    """Every venue gets its region's lawyers on two or three weekdays each."""
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    start = today() - dt.timedelta(days=180)
    for code, region_venues in venues.items():
        lawyers = staff[code]["lawyer"]
        for index, venue in enumerate(region_venues):
            for offset, lawyer in enumerate(lawyers):
                for weekday in sorted({(index + offset) % 5, (index + offset + 2) % 5}):
                    roster_add(actor=admin, lawyer=lawyer, venue=venue, weekday=weekday, starts_on=start)
        if rng.random() < 0.5 and lawyers:
            roster_exception_add(actor=admin, lawyer=lawyers[0], venue=region_venues[0],
                                 on_date=today() + dt.timedelta(days=rng.randint(1, 10)), kind="leave", note="年休假")


def demo_load(*, case_count: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    prefectures = list(db.session.execute(
        select(Region).where(Region.level == "prefecture").order_by(Region.code)).scalars())
    if not prefectures:
        raise RuntimeError("load the regions first (flask init-db)")
    counties = {p.code: list(db.session.execute(
        select(Region).where(Region.parent_code == p.code).order_by(Region.code)).scalars()) for p in prefectures}
    venues = _venues(prefectures)
    logins, staff = _users(prefectures, rng)
    _rosters(venues, staff, rng)
    employers = [(fake.company(), _uscc(rng, rng.choice(prefectures).code)) for _ in range(max(case_count // 4, 5))]
    for code in ("220100", "222400"):  # some lawyers have declared conflicts with an employer
        lawyer = staff[code]["lawyer"][-1]
        conflict_declare(actor=lawyer, lawyer=lawyer, employer_uscc=employers[0][1], note="曾担任该单位法律顾问")
    # "effective": settled, signed, being paid by installments (some of them overdue)
    states = ["intake", "referred", "mediating", "mediating", "settled", "effective", "enforcing", "closed",
              "closed", "failed", "withdrawn", "rejected"]
    now = today()
    for index in range(case_count):
        prefecture = prefectures[index % len(prefectures)]
        region = rng.choice(counties[prefecture.code] or [prefecture])
        mediator = staff[prefecture.code]["mediator"][0]
        lawyers = staff[prefecture.code]["lawyer"]
        korean = prefecture.code == "222400" and rng.random() < 0.6
        lawyer = next((lw for lw in lawyers if "ko" in lw.lawyer_profile.languages), lawyers[0]) if korean \
            else rng.choice(lawyers[:-1] or lawyers)
        collective = rng.random() < 0.08
        size = rng.randint(10, 24) if collective else rng.randint(1, 3)
        received = now - dt.timedelta(days=rng.randint(20, 300))
        name, code = rng.choice(employers)
        workers = [
            WorkerInput(name=fake.name(), id_number=_resident_id(rng, region.code), phone=_phone(rng),
                        claims={"wages": f"{rng.randint(20, 400) * 100}.00",
                                **({"overtime": f"{rng.randint(5, 80) * 100}.00"} if rng.random() < 0.4 else {})})
            for _ in range(size)
        ]
        case, _warnings = case_intake(actor=mediator, data=IntakeInput(
            channel=rng.choice(["court", "court", "hr", "walk_in"]), region_code=region.code, received_on=received,
            employer_name=name, employer_uscc=code, workers=workers,
            referral_ref=f"DEMO-{seed}-{index:05d}",
            summary=rng.choice(DISPUTE_FACTS).format(n=size, m=rng.randint(1, 6)),
            employer_legal_representative=fake.name(), employer_address=fake.address()[:200],
            # a random ID number may repeat one of another case: confirmed, as a mediator would
            language="ko" if korean else "zh", confirmed=True))
        _advance(case, states[index % len(states)], mediator, lawyer, venues[prefecture.code], rng, received)
    demo_consultations([staff[code][role][0] for code in ("220100", "222400") for role in ("lawyer", "mediator")], rng)
    demo_hazards(lawyers={code: staff[code]["lawyer"][0] for code in ("220100", "222400")}, employers=employers,
                 verify_url=DEMO_VERIFY_URL, rng=rng)
    return logins


def _advance(case: Case, target: str, mediator: User, lawyer: User, venues: list[Venue],
             rng: random.Random, received: dt.date) -> None:
    """Walk a case through the workflow to `target`, with plausible dates."""
    if target == "intake":
        return
    if target == "rejected":
        services.case_reject(case=case, actor=mediator, expected_version=None, reason="不属于劳动争议受理范围",
                             ended_on=received + dt.timedelta(days=1))
        return
    referred = received + dt.timedelta(days=rng.randint(0, 3))
    services.case_refer(case=case, actor=mediator, expected_version=None, venue=rng.choice(venues),
                        lawyer=lawyer, referred_on=referred)
    if target == "referred":
        return
    started = referred + dt.timedelta(days=rng.randint(0, 4))
    if target == "mediating" and rng.random() < 0.5:
        started = today() - dt.timedelta(days=rng.randint(0, 12))  # some still within their period
    services.case_start_mediation(case=case, actor=lawyer, expected_version=None, started_on=max(started, referred))
    held = min(started + dt.timedelta(days=rng.randint(1, 10)), today())
    services.session_record(case=case, actor=lawyer, expected_version=None, held_on=held,
                            outcome="continued" if target == "mediating" else "agreement",
                            attendees="劳动者代表、用人单位代理人", notes="双方陈述意见，调解员释法说理。")
    if target == "mediating":
        return
    if target in ("failed", "withdrawn"):
        reason = "双方差距过大，未能达成一致" if target == "failed" else "劳动者申请撤回"
        call = services.case_fail if target == "failed" else services.case_withdraw
        call(case=case, actor=lawyer, expected_version=None, reason=reason, ended_on=held)
        return
    agreed = {item.id: item.claimed_fen * rng.choice([6, 8, 9, 10]) // 10 for item in case.claims}
    services.case_settle(case=case, actor=lawyer, expected_version=None, agreed_fen=agreed, settled_on=held)
    _schedule(case, lawyer, rng, held)
    if target == "settled":
        return
    agreement_generate(case=case, actor=lawyer, verify_url=DEMO_VERIFY_URL)
    signature_record(case=case, actor=lawyer, expected_version=None, parties=required_parties(case), signed_on=held)
    if target == "effective":
        first = case.workers[0]
        if case.installments_of(first) and case.installments_of(first)[0].due_on <= today():
            payment_record(case=case, actor=lawyer, expected_version=None, worker_id=first.id, method="bank_transfer",
                           amount_fen=case.installments_of(first)[0].amount_fen, paid_on=today())
        return
    if target == "enforcing":
        if case.judicial_confirmation_open:
            judicial_confirmation_apply(case=case, actor=lawyer, expected_version=None, applied_on=today(),
                                        court=f"{case.region.name_zh}人民法院")
        enforcement_start(case=case, actor=lawyer, expected_version=None, applied_on=today(), kind="payment_order",
                          court=f"{case.region.name_zh}人民法院")
        return
    paid_on = min(held + dt.timedelta(days=rng.randint(1, 20)), today())
    for worker in case.workers:
        owed = case.agreed_for(worker)
        if owed:
            payment_record(case=case, actor=lawyer, expected_version=None, worker_id=worker.id,
                           amount_fen=owed, paid_on=paid_on, method="bank_transfer")
    services.case_close(case=case, actor=lawyer, expected_version=None, closed_on=paid_on)


def _schedule(case: Case, actor: User, rng: random.Random, agreed_on: dt.date) -> None:
    """One or two installments per worker, a month apart, the first due two weeks after the agreement."""
    rows = []
    for worker in case.workers:
        owed = case.agreed_for(worker)
        parts = [owed] if owed < 200000 or rng.random() < 0.5 else [owed // 2, owed - owed // 2]
        rows += [InstallmentInput(worker_id=worker.id, due_on=agreed_on + dt.timedelta(days=14 + 30 * n),
                                  amount_fen=part) for n, part in enumerate(parts) if part > 0]
    schedule_set(case=case, actor=actor, expected_version=None, rows=rows)
