"""A year in the life of the branch's membership register, cut into monthly deltas.

The first extract holds every membership as it stands on its date (active ones and
ones that lapsed long ago). Each later extract holds only the memberships that
changed in the month before its date, once each, in their latest state of that
month: registrations (spread out, plus budget-driven batches of village officials
and province-funded vulnerable workers), lapses (informal payers more than three
months in arrears), reactivations, moves between regencies, occupation corrections
and January wage updates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .model import Person, Version
from .population import PersonFactory, new_kpj, pick_sector, program_for, realise, wage_for
from .reference import Reference

FIRST_REGISTRATION = date(2014, 1, 1)


@dataclass
class Membership:
    current: Version
    # Cards left behind by a job change are never reactivated.
    retired: bool = False


@dataclass
class Simulation:
    memberships: list[Membership]
    # windows[k]: kpj -> the version that extract k carries (insertion order = registration order).
    windows: list[dict[str, Version]]
    people: list[Person] = field(default_factory=list)


def _months_back(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 - months
    return index // 12, index % 12 + 1


class Simulator:
    def __init__(self, rng: random.Random, ref: Reference, dates: list[date], used_niks: set[str], used_kpjs: set[str]):
        self.rng = rng
        self.ref = ref
        self.dates = dates
        self.factory = PersonFactory(rng, ref, used_niks)
        self.used_kpjs = used_kpjs
        self.memberships: list[Membership] = []
        self.people: list[Person] = []
        self.windows: list[dict[str, Version]] = [{} for _ in dates]

    # --- building blocks --------------------------------------------------------------------

    def kpj(self) -> str:
        return new_kpj(self.rng, self.used_kpjs)

    def district(self, regency: str) -> str | None:
        if self.rng.random() < 0.03:
            return None
        return self.rng.choice(self.ref.districts[regency])[1]

    def timestamp(self, day: date) -> datetime:
        rng = self.rng
        if rng.random() < 0.8:
            clock = time(rng.randrange(7, 17), rng.randrange(60), rng.randrange(60))
        else:
            # Nightly batch runs of the branch system, up to the last minute of the day.
            clock = time(rng.randrange(20, 24), rng.randrange(60), rng.randrange(60))
        return datetime.combine(day, clock)

    def random_day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def new_version(self, person: Person, regency: str, sector: str, tgl_kep: date, ts: datetime) -> Version:
        rng = self.rng
        segmen, sumber, job = realise(rng, self.ref, sector)
        return Version(
            kpj=self.kpj(),
            person=person,
            regency=regency,
            district=self.district(regency),
            segmen=segmen,
            sumber=sumber,
            pekerjaan=job,
            program=program_for(rng, segmen),
            upah=wage_for(rng, segmen),
            tgl_kep=tgl_kep,
            blth=(ts.year, ts.month),
            status="AKTIF",
            ts=ts,
        )

    def workplace(self, person: Person) -> str:
        return person.home if self.rng.random() < 0.9 else self.factory.pick_regency()

    # --- the register on the first extract date --------------------------------------------

    def initial(self, count: int) -> None:
        rng = self.rng
        d0 = self.dates[0]
        span = (d0 - FIRST_REGISTRATION).days
        for _ in range(count):
            person = self.factory.person(d0)
            self.people.append(person)
            regency = self.workplace(person)
            sector = pick_sector(rng, regency)
            # Registrations grew over the decade: draw the age of the card skewed to recent years.
            tgl_kep = d0 - timedelta(days=int(span * rng.random() ** 1.6))
            first = self.settled(self.new_version(person, regency, sector, tgl_kep, self.timestamp(tgl_kep)))
            self.add(first)
            roll = rng.random()
            if roll < 0.03:
                self.job_change(person, first)
            elif roll < 0.065:
                self.concurrent(person, first, same_day=False)
            elif roll < 0.072:
                self.concurrent(person, first, same_day=True)

    def settled(self, v: Version, active_share: float = 0.78) -> Version:
        """The card's state on the first extract date: last touched some time after it started."""
        rng = self.rng
        d0 = self.dates[0]
        earliest = max(v.tgl_kep, d0 - timedelta(days=900))
        last = self.timestamp(self.random_day(earliest, d0))
        if last < v.ts:
            last = v.ts
        if rng.random() < active_share:
            return v.evolve(ts=last, blth=_months_back(last.date(), rng.randrange(0, 2)))
        return v.evolve(ts=last, status="NONAKTIF", blth=_months_back(last.date(), 4))

    def job_change(self, person: Person, first: Version) -> None:
        """An employee moved on: the old card lapsed, a newer one (maybe another sector) is active."""
        rng = self.rng
        d0 = self.dates[0]
        old = self.memberships[-1]
        if first.tgl_kep >= d0 - timedelta(days=60):
            return
        change = self.random_day(first.tgl_kep + timedelta(days=30), d0 - timedelta(days=1))
        lapse_ts = self.timestamp(change)
        old.current = first.evolve(status="NONAKTIF", ts=max(lapse_ts, first.ts), blth=_months_back(change, 1))
        old.retired = True
        regency = self.workplace(person)
        new = self.new_version(person, regency, pick_sector(rng, regency), change, lapse_ts + timedelta(hours=1))
        self.add(self.settled(new, active_share=0.9))

    def concurrent(self, person: Person, first: Version, same_day: bool) -> None:
        """A second card held alongside the first (a village official who also fishes, ...)."""
        rng = self.rng
        d0 = self.dates[0]
        regency = first.regency if rng.random() < 0.8 else self.workplace(person)
        sector = pick_sector(rng, regency)
        tgl = first.tgl_kep if same_day else self.random_day(first.tgl_kep, d0)
        second = self.new_version(person, regency, sector, tgl, self.timestamp(tgl))
        if same_day:
            # Both cards stay active so the placement tie-break (larger NO_KPJ) decides.
            self.memberships[-1].current = first.evolve(status="AKTIF", blth=_months_back(first.ts.date(), 0))
            self.add(second.evolve(ts=max(second.ts, first.ts)))
        else:
            self.add(self.settled(second, active_share=0.85))

    def add(self, v: Version) -> Membership:
        m = Membership(v)
        self.memberships.append(m)
        return m

    # --- the months after -------------------------------------------------------------------

    def month(self, k: int, newcomers: int, batches: list[tuple[str, int]]) -> None:
        rng = self.rng
        start = self.dates[k - 1] + timedelta(days=1)
        end = self.dates[k]
        window = self.windows[k]
        january = any(d.month == 1 and d.day <= 10 for d in (start, start + timedelta(days=5)))
        for m in list(self.memberships):
            v = m.current
            roll = rng.random()
            changed: Version | None = None
            if v.status == "AKTIF":
                p_lapse = self.lapse_rate(v)
                if roll < p_lapse:
                    day = self.random_day(start, end)
                    changed = v.evolve(status="NONAKTIF", blth=_months_back(day, 4), ts=self.timestamp(day))
                elif roll < p_lapse + 0.003:
                    regency = self.factory.pick_regency()
                    if regency != v.regency:
                        day = self.random_day(start, end)
                        changed = v.evolve(
                            regency=regency,
                            district=self.district(regency),
                            ts=self.timestamp(day),
                            blth=_months_back(day, 0),
                        )
                elif roll < p_lapse + 0.005:
                    day = self.random_day(start, end)
                    sector = pick_sector(rng, v.regency)
                    _, _, job = realise(rng, self.ref, sector)
                    if job != v.pekerjaan:
                        changed = v.evolve(pekerjaan=job, ts=self.timestamp(day))
                elif january and v.segmen == "PU" and v.upah and roll < p_lapse + 0.005 + 0.35:
                    day = self.random_day(start, min(end, start + timedelta(days=20)))
                    raised = int(v.upah * rng.uniform(1.03, 1.10)) // 1000 * 1000
                    changed = v.evolve(upah=raised, ts=self.timestamp(day), blth=_months_back(day, 0))
            elif not m.retired and roll < self.reactivation_rate(v):
                day = self.random_day(start, end)
                changed = v.evolve(status="AKTIF", blth=_months_back(day, 0), ts=self.timestamp(day))
            if changed is not None:
                # Versions of a card in different extracts never share a TGL_UPDATE by accident.
                assert changed.ts > v.ts
                m.current = changed
                window[changed.kpj] = changed
        existing = len(self.people)
        for _ in range(newcomers):
            self.register(window, self.random_day(start, end), self.newcomer(start))
            if rng.random() < 0.1:
                # An existing worker takes another card: a new card, not a new person.
                self.register(window, self.random_day(start, end), self.people[rng.randrange(existing)])
        for sector_plan, size in batches:
            self.batch(window, start, end, sector_plan, size)

    def lapse_rate(self, v: Version) -> float:
        if v.segmen == "JAKON":
            return 0.05
        if v.segmen == "PU":
            return 0.008
        if v.segmen == "PMI":
            return 0.02
        return 0.008 if v.sumber in ("APBDES", "APBD_KAB", "APBD_PROV") else 0.028

    def reactivation_rate(self, v: Version) -> float:
        if v.segmen == "BPU":
            return 0.07 if v.sumber != "MANDIRI" else 0.05
        return 0.015

    def register(
        self,
        window: dict[str, Version],
        day: date,
        person: Person,
        sector: str | None = None,
        regency: str | None = None,
        sumber: str | None = None,
    ) -> None:
        rng = self.rng
        regency = regency or self.workplace(person)
        sector = sector or pick_sector(rng, regency)
        v = self.new_version(person, regency, sector, day, self.timestamp(day))
        if sumber is not None:
            # Programme batches are informal workers whose premium the government pays.
            v = v.evolve(segmen="BPU", sumber=sumber, program=("JKK", "JKM"), upah=1_000_000)
        self.add(v)
        window[v.kpj] = v

    def newcomer(self, day: date) -> Person:
        person = self.factory.person(day)
        self.people.append(person)
        return person

    def batch(self, window: dict[str, Version], start: date, end: date, plan: str, size: int) -> None:
        """A government registers its whole programme on one day (a tie-rich TGL_KEPESERTAAN)."""
        rng = self.rng
        day = self.random_day(start, end)
        if plan == "APBDES":
            regency = rng.choice([self.ref.role(code) for code in ("8108", "8106", "8109")])
            for _ in range(size):
                person = self.factory.person(day, home=regency, ages=(25, 60, 42))
                self.people.append(person)
                self.register(window, day, person, "PERANGKAT_DESA", regency, "APBDES")
        else:
            for _ in range(size):
                person = self.factory.person(day)
                self.people.append(person)
                sector = rng.choice(["PEKERJA_RENTAN", "PEKERJA_RENTAN", "PEKERJA_KEAGAMAAN", "NELAYAN"])
                self.register(window, day, person, sector, person.home, "APBD_PROV")


def simulate(
    rng: random.Random, ref: Reference, people: int, dates: list[date], used_niks: set[str], used_kpjs: set[str]
) -> Simulation:
    sim = Simulator(rng, ref, dates, used_niks, used_kpjs)
    later = len(dates) - 1
    initial = people if later == 0 else round(people * 0.87)
    sim.initial(initial)
    # The first extract holds the register as it stood on its date, in card order.
    for m in sim.memberships:
        sim.windows[0][m.current.kpj] = m.current
    remaining = people - initial
    if later:
        apbdes = round(remaining * 0.12)
        prov = round(remaining * 0.10)
        spread = remaining - apbdes - prov
        # Village funds register their officials in March, the province its programme in July.
        batch_months = {min(2, later): ("APBDES", apbdes), min(6, later): ("APBD_PROV", prov)}
        for k in range(1, later + 1):
            share = spread // later + (1 if k <= spread % later else 0)
            batches = [batch_months[k]] if k in batch_months else []
            if len(batch_months) == 1 and k in batch_months:
                batches = [("APBDES", apbdes), ("APBD_PROV", prov)]
            sim.month(k, share, batches)
    return Simulation(sim.memberships, sim.windows, sim.people)
