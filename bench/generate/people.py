"""Agencies, divisions, people, approval chains and the national and provincial viewers."""

from __future__ import annotations

import random
from collections import defaultdict

from django.contrib.auth import get_user_model

from agencies.models import Agency, Department, Membership
from bench.generate.constants import (
    AGENCY_TYPES,
    BANGKOK_PROVINCE,
    CODE_PREFIX,
    DEPARTMENTS_ALWAYS,
    DEPARTMENTS_OPTIONAL,
    FEMALE_NAMES,
    LAST_NAMES,
    LEVELS,
    MALE_NAMES,
    NATIONAL_VIEWER,
    PLACE_HEADS,
    PLACE_TAILS,
    PROVINCES,
    REGION_SHARE,
    STAFF_POSITIONS,
    TYPE_INFO,
)
from bench.generate.data import AgencyInfo, Person, _allocate
from reports.models import ApprovalChain, ApprovalChainStep

User = get_user_model()


class PeopleMixin:
    """Part of :class:`bench.generate.core.Generator`."""

    # ----------------------------------------------------------------------------------------- agencies

    def _agency_specs(self) -> list[tuple[str, str]]:
        """(type, province) of each new agency, spread as in Thailand."""
        rng = random.Random(f"{self.seed}:spread:{self.n_agencies}")
        n = self.n_agencies
        specs: list[tuple[str, str]] = []
        if n >= 100 and not Agency.objects.filter(province=BANGKOK_PROVINCE, type=Agency.Type.OTHER).exists():
            specs.append((Agency.Type.OTHER, BANGKOK_PROVINCE))  # กรุงเทพมหานคร, a special local government
        remaining = n - len(specs)
        counts = dict(
            zip((t[0] for t in AGENCY_TYPES), _allocate(remaining, [t[1] for t in AGENCY_TYPES]), strict=True)
        )
        if remaining >= len(AGENCY_TYPES):  # every type at least once, taken from the อบต.
            for kind in counts:
                if counts[kind] == 0:
                    counts[kind], counts[Agency.Type.SAO] = 1, counts[Agency.Type.SAO] - 1
        provinces = [p for p in PROVINCES if p[0] != BANGKOK_PROVINCE]
        per_region = defaultdict(int)
        for _name, _abbr, region in provinces:
            per_region[region] += 1
        weights = [REGION_SHARE[region] / per_region[region] * rng.uniform(0.6, 1.4) for _n, _a, region in provinces]
        # One อบจ. per province; more อบจ. than provinces left over become อบต.
        taken = set(Agency.objects.filter(type=Agency.Type.PAO).values_list("province", flat=True))
        free = [p[0] for p in provinces if p[0] not in taken]
        rng.shuffle(free)
        pao = free[: counts[Agency.Type.PAO]]
        counts[Agency.Type.SAO] += counts[Agency.Type.PAO] - len(pao)
        specs.extend((Agency.Type.PAO, province) for province in pao)
        for kind, count in counts.items():
            if kind != Agency.Type.PAO:
                specs.extend((kind, rng.choices(provinces, weights)[0][0]) for _ in range(count))
        rng.shuffle(specs)
        return specs

    def _place(self, rng: random.Random, used: set[str], prefix: str) -> str:
        for attempt in range(50):
            place = rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
            if attempt > 10:
                place += rng.choice(PLACE_TAILS)
            if prefix + place not in used:
                return place
        k = 2
        while f"{prefix}{place}{k}" in used:
            k += 1
        return f"{place}{k}"

    def _naming(self, kind, province, rng, used_names, districts) -> tuple[str, str, str, str, str]:
        """(name, place, district, the ปลัด's office, the head's title) of a new agency of ``kind``."""
        if province not in districts:
            drng = random.Random(f"{self.seed}:districts:{province}")
            districts[province] = [f"เมือง{province}"] + [
                self._place(drng, set(), "") for _ in range(drng.randint(5, 18))
            ]
        if kind == Agency.Type.OTHER:
            office, head_title = "สำนักปลัดกรุงเทพมหานคร", "ผู้ว่าราชการกรุงเทพมหานคร"
            return BANGKOK_PROVINCE, BANGKOK_PROVINCE, "", office, head_title
        _k, _s, prefix, head_prefix, office = TYPE_INFO[kind]
        if kind == Agency.Type.PAO:
            place = province
        elif kind == Agency.Type.CITY and prefix + province not in used_names[province]:
            place = province
        else:
            place = self._place(rng, used_names[province], prefix)
        district = districts[province][0] if kind in (Agency.Type.PAO, Agency.Type.CITY) else None
        district = district or rng.choice(districts[province])
        return prefix + place, place, district, office, head_prefix + place

    def _agencies_and_people(self) -> list[AgencyInfo]:
        w = self.writer
        abbr = {name: a for name, a, _r in PROVINCES}
        province_index = {name: i for i, (name, _a, _r) in enumerate(PROVINCES, start=1)}
        existing_numbers = [
            int(code[len(CODE_PREFIX) :])
            for code in Agency.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True)
            if code[len(CODE_PREFIX) :].isdigit()
        ]
        first_number = max(existing_numbers, default=0) + 1
        used_names: dict[str, set[str]] = defaultdict(set)
        for name, province in Agency.objects.values_list("name", "province"):
            used_names[province].add(name)
        letter_seq: dict[str, int] = defaultdict(int)
        districts: dict[str, list[str]] = {}

        agency_rows, department_rows, user_rows, membership_rows = [], [], [], []
        chain_rows, chain_step_rows, chain_approver_rows, chain_acting_rows = [], [], [], []
        infos: list[AgencyInfo] = []
        for offset, (kind, province) in enumerate(self._agency_specs()):
            number = first_number + offset
            rng = self._rng("agency", number)
            name, place, district, office, head_title = self._naming(kind, province, rng, used_names, districts)
            used_names[province].add(name)
            code = f"{CODE_PREFIX}{number:05d}"
            agency_id = self.ids.take(Agency)
            info = AgencyInfo(number, agency_id, code, name, kind, province, district, place)
            infos.append(info)
            agency_rows.append(
                (
                    agency_id, name, kind, province, district, code,
                    f"สำนักงาน{name} {'อำเภอ' + district + ' ' if district else ''}จังหวัด{province}",
                    f"0-{rng.randint(2000, 7999)}-{rng.randint(1000, 9999)}", f"saraban@{code}.example.go.th",
                    "", True, self.now, self.now,
                )
            )  # fmt: skip

            # Divisions: the ปลัด's office, finance, works, and some of the others.
            letter_seq[province] += 1
            local_code = f"{abbr[province]} 5{letter_seq[province]:04d}"
            names = [office, *DEPARTMENTS_ALWAYS, *rng.sample(DEPARTMENTS_OPTIONAL, rng.randint(0, 3))]
            for order, dept_name in enumerate(names, start=1):
                dept_id = self.ids.take(Department)
                letter = f"{local_code}.{order}"
                info.departments.append((dept_id, dept_name, letter))
                department_rows.append((dept_id, agency_id, dept_name, letter, "", "", order))
            office_id = info.departments[0][0]

            def person(position, department_id, roles, username, _rng=rng, _agency=agency_id):
                male = _rng.random() < 0.45
                title = "นาย" if male else _rng.choice(["นาง", "นางสาว"])
                first = title + _rng.choice(MALE_NAMES if male else FEMALE_NAMES)
                last = _rng.choice(LAST_NAMES)
                user_id = self._users(user_rows, username, first, last)
                membership_id = self.ids.take(Membership)
                membership_rows.append(
                    (
                        membership_id, user_id, _agency, department_id, position,
                        "staff" in roles, "coordinator" in roles, "approver" in roles, "agency_admin" in roles,
                        "viewer" in roles, True, self.now,
                    )
                )  # fmt: skip
                return Person(user_id, membership_id, f"{first} {last}", position, department_id)

            user_base = f"gen{number}"
            info.coordinator = person(
                f"นักวิเคราะห์นโยบายและแผน{rng.choice(LEVELS)}", office_id, {"coordinator", "staff"}, f"{user_base}.plan"
            )
            for k in range(rng.randint(1, 3)):
                dept_id, dept_name, _letter = rng.choice(info.departments[1:])
                info.staff.append(
                    person(
                        STAFF_POSITIONS.get(dept_name, "นักจัดการงานทั่วไป") + rng.choice(LEVELS),
                        dept_id,
                        {"staff"},
                        f"{user_base}.staff{k + 1}",
                    )
                )
            office_head = f"หัวหน้า{office}"
            palat_title = "ปลัด" + (name if kind != Agency.Type.OTHER else BANGKOK_PROVINCE)
            if rng.random() < 0.6:
                info.approvers.append(person(office_head, office_id, {"approver"}, f"{user_base}.head"))
            info.approvers.append(person(palat_title, office_id, {"approver"}, f"{user_base}.palat"))
            info.approvers.append(person(head_title, None, {"approver"}, f"{user_base}.mayor"))
            info.admin = person(
                f"นักวิชาการคอมพิวเตอร์{rng.choice(LEVELS[:2])}", office_id, {"agency_admin"}, f"{user_base}.admin"
            )

            # The chain: head of the office (or the ปลัด where that post is empty) → ปลัด → head of the
            # agency, the ปลัด acting for the head of the agency.
            head = info.approvers[0] if len(info.approvers) == 3 else info.palat
            info.chain_id = self.ids.take(ApprovalChain)
            info.chain = [
                (1, office_head, f"ความเห็น{office_head}", [head], []),
                (2, palat_title, "ความเห็นปลัด", [info.palat], []),
                (3, head_title, "", [info.mayor], [info.palat]),
            ]
            chain_rows.append((info.chain_id, agency_id, " → ".join(s[1] for s in info.chain), True))
            for order, position, label, approvers, acting in info.chain:
                step_id = self.ids.take(ApprovalChainStep)
                chain_step_rows.append((step_id, info.chain_id, order, position, label))
                chain_approver_rows.extend((step_id, p.membership_id) for p in approvers)
                chain_acting_rows.extend((step_id, p.membership_id) for p in acting)

        # Viewers: the NACC's national viewer follows everything; a provincial viewer each province.
        viewer_rows = []
        existing_users = dict(
            User.objects.filter(username__in=[NATIONAL_VIEWER, *[f"province.{i:02d}" for i in range(1, 78)]])
            .values_list("username", "pk")
        )  # fmt: skip

        def viewer(username, first, last):
            if username in existing_users:
                return existing_users[username]
            existing_users[username] = self._users(user_rows, username, first, last)
            return existing_users[username]

        national = viewer(NATIONAL_VIEWER, "นางสาวกนกวรรณ", "ติดตามผล (ป.ป.ช.)")
        provincial: dict[str, int] = {}
        for info in infos:
            if info.province not in provincial:
                index = province_index[info.province]
                provincial[info.province] = viewer(f"province.{index:02d}", "ท้องถิ่นจังหวัด", info.province)
            for user_id, position in (
                (national, "เจ้าหน้าที่สำนักงาน ป.ป.ช."),
                (provincial[info.province], f"ท้องถิ่นจังหวัด{info.province}"),
            ):
                viewer_rows.append(
                    (self.ids.take(Membership), user_id, info.id, None, position,
                     False, False, False, False, True, True, self.now)
                )  # fmt: skip

        w.write(Agency, ["id", "name", "type", "province", "district", "code", "address", "phone", "email",
                         "emblem", "use_thai_digits", "created_at", "updated_at"], agency_rows)  # fmt: skip
        w.write(Department, ["id", "agency_id", "name", "letter_code", "phone", "email", "order"], department_rows)
        w.write(User, self.USER_COLUMNS, user_rows)
        w.write(Membership, self.MEMBERSHIP_COLUMNS, membership_rows + viewer_rows)
        w.write(ApprovalChain, ["id", "agency_id", "name", "is_default"], chain_rows)
        w.write(ApprovalChainStep, ["id", "chain_id", "order", "position_title", "comment_label"], chain_step_rows)
        w.write(ApprovalChainStep.approvers.through, ["approvalchainstep_id", "membership_id"], chain_approver_rows)
        w.write(
            ApprovalChainStep.acting_approvers.through, ["approvalchainstep_id", "membership_id"], chain_acting_rows
        )
        return infos
