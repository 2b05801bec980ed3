"""Demo consultations: a dozen questions answered in Changchun and Yanbian (mediation/cli/demo.py)."""

from __future__ import annotations

import datetime as dt
import random

from mediation.common.timeutil import today
from mediation.consultations.services import ConsultationInput, consultation_record
from mediation.models import User

QUESTIONS = [
    ("wages", "老板拖欠我三个月工资，说等工程款到了再发，我该怎么办？",
     "可先书面催告，保留考勤、工资条和聊天记录；协商不成可向工会调解组织申请调解，或向劳动保障监察举报。"),
    ("overtime", "每天加班两小时，公司说是综合工时制不给加班费，对吗？",
     "综合计算工时须经人社部门批准；未经批准的，延长工作时间应按不低于工资150%支付加班费。"),
    ("severance", "公司突然通知我明天不用来了，也没说补偿，合法吗？",
     "用人单位无法定理由解除劳动合同属违法解除，可主张二倍经济补偿金（赔偿金）。"),
    ("social_insurance", "入职两年公司一直没给交社保，现在想补缴。",
     "用人单位应依法缴纳社会保险，可向社保经办机构投诉要求补缴，也可协商或申请调解。"),
    ("work_injury", "在车间被机器划伤，公司不给申报工伤。",
     "受伤职工或近亲属可在事故发生之日起一年内自行申请工伤认定，保留病历和证人信息。"),
    ("other", "试用期可以约定半年吗？我的合同期是一年。",
     "劳动合同期限一年以上不满三年的，试用期不得超过二个月；超出部分可主张赔偿。"),
]


def demo_consultations(people: list[User], rng: random.Random, *, count: int = 12) -> int:
    """`count` consultations by the given lawyers and mediators, over the last three months."""
    for index in range(count):
        topic, question, answer = QUESTIONS[index % len(QUESTIONS)]
        named = rng.random() < 0.6
        consultation_record(actor=people[index % len(people)], data=ConsultationInput(
            channel=rng.choice(["hotline", "hotline", "walk_in", "online"]),
            held_on=today() - dt.timedelta(days=rng.randint(0, 90)), duration_minutes=rng.choice([10, 15, 20, 30, 45]),
            topic=topic, question=question, answer=answer,
            worker_name=rng.choice(["王师傅", "李女士", "张先生", "赵大姐"]) if named else "",
            worker_phone=f"139{rng.randrange(10**8):08d}" if named else "",
            employer_name=rng.choice(["", "长春某建筑工程有限公司", "延吉某食品加工厂"])))
    return count
