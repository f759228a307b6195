"""An independent implementation of Cutover's planning rules, written from the rules in
plan/README.md (not from the Rust code), for the differential test in run.py.

Standard library only. Japanese national holidays are computed here from the holiday law
(fixed days, Happy Mondays, equinoxes, the 2019-2021 special days, substitute holidays and
"citizens' holidays"), not taken from the Rust crate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

ONE = dt.timedelta(days=1)

# ---------------------------------------------------------------------------------------------
# Japanese national holidays


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (7 - first.weekday()) % 7  # days to the first Monday
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def _equinox(year: int, base: Fraction) -> int:
    # The Japan Meteorological Agency approximation, valid 1980-2099, evaluated exactly.
    y = year - 1980
    return int(base + Fraction(242194, 1000000) * y - (y // 4))


def _statutory(year: int) -> set[dt.date]:
    """The named holidays of one year, before substitute and sandwiched days."""
    d = dt.date
    days = {
        d(year, 1, 1),  # New Year's Day
        d(year, 2, 11),  # National Foundation Day
        d(year, 3, _equinox(year, Fraction(208431, 10000))),  # Vernal Equinox
        d(year, 4, 29),  # Greenery Day until 2006, Showa Day since 2007
        d(year, 5, 3),  # Constitution Memorial Day
        d(year, 5, 5),  # Children's Day
        d(year, 9, _equinox(year, Fraction(232488, 10000))),  # Autumnal Equinox
        d(year, 11, 3),  # Culture Day
        d(year, 11, 23),  # Labour Thanksgiving Day
    }
    days.add(_nth_monday(year, 1, 2) if year >= 2000 else d(year, 1, 15))  # Coming of Age
    if year >= 2007:
        days.add(d(year, 5, 4))  # Greenery Day
    # Emperor's Birthday: 23 December under Heisei, none in 2019, 23 February since 2020.
    if year <= 2018:
        days.add(d(year, 12, 23))
    elif year >= 2020:
        days.add(d(year, 2, 23))
    # Marine Day.
    if year == 2020:
        days.add(d(2020, 7, 23))
    elif year == 2021:
        days.add(d(2021, 7, 22))
    elif year >= 2003:
        days.add(_nth_monday(year, 7, 3))
    elif year >= 1996:
        days.add(d(year, 7, 20))
    # Mountain Day (since 2016).
    if year == 2020:
        days.add(d(2020, 8, 10))
    elif year == 2021:
        days.add(d(2021, 8, 8))
    elif year >= 2016:
        days.add(d(year, 8, 11))
    # Respect for the Aged Day.
    days.add(_nth_monday(year, 9, 3) if year >= 2003 else d(year, 9, 15))
    # Health and Sports Day / Sports Day.
    if year == 2020:
        days.add(d(2020, 7, 24))
    elif year == 2021:
        days.add(d(2021, 7, 23))
    elif year >= 2000:
        days.add(_nth_monday(year, 10, 2))
    else:
        days.add(d(year, 10, 10))
    # The 2019 enthronement.
    if year == 2019:
        days.update({d(2019, 5, 1), d(2019, 10, 22)})
    return days


def japanese_holidays(year: int) -> set[dt.date]:
    """Every national holiday of `year`, substitute holidays and citizens' holidays included."""
    # Neighbouring years matter for substitutes and sandwiches at the edges.
    named = _statutory(year - 1) | _statutory(year) | _statutory(year + 1)
    result = set(named)
    # Substitute holiday: a holiday on a Sunday moves to the next day that is not a holiday.
    for h in sorted(named):
        if h.weekday() == 6:
            s = h + ONE
            while s in result:
                s += ONE
            result.add(s)
    # Citizens' holiday: a non-holiday between two named holidays (until 2006 not on a Sunday;
    # closed either way, so this only matters for the cross-check below).
    for h in sorted(named):
        mid = h + ONE
        if mid not in result and mid + ONE in named and (mid.year >= 2007 or mid.weekday() != 6):
            result.add(mid)
    return {h for h in result if h.year == year}


# ---------------------------------------------------------------------------------------------
# Settings and calendar


@dataclass
class ChannelLife:
    grace: int
    disabled: int
    access_during_grace: bool


@dataclass
class Settings:
    provision_lead: int = 7
    invite_lead: int = 7
    auto_renew_notice: int = 3
    japan: bool = False
    custom: list[dt.date] = field(default_factory=list)
    grace_override: int | None = None
    disabled_override: int | None = None

    def life(self, channel: str) -> ChannelLife:
        base = {
            "direct": ChannelLife(30, 90, True),
            "partner": ChannelLife(30, 90, True),
            "open": ChannelLife(30, 90, False),
            "ea": ChannelLife(90, 60, False),
        }[channel]
        if self.grace_override is not None:
            base.grace = self.grace_override
        if self.disabled_override is not None:
            base.disabled = self.disabled_override
        return base


class Calendar:
    def __init__(self, s: Settings):
        self.closed: set[dt.date] = set(s.custom)
        self.japan = s.japan
        self.years: set[int] = set()

    def _year(self, y: int) -> None:
        if self.japan and y not in self.years and 2000 <= y <= 2099:
            self.closed |= japanese_holidays(y)
        self.years.add(y)

    def business(self, d: dt.date) -> bool:
        self._year(d.year)
        return d.weekday() < 5 and d not in self.closed

    def prev_bd(self, d: dt.date) -> dt.date:
        while not self.business(d):
            d -= ONE
        return d

    def next_bd(self, d: dt.date) -> dt.date:
        while not self.business(d):
            d += ONE
        return d


# ---------------------------------------------------------------------------------------------
# Rules


def money(price: Fraction, seats: int, days: int) -> str:
    """price x 12 x days x seats / 365, rounded half away from zero to cents (never negative)."""
    cents = price * 12 * days * seats * 100 / 365
    whole = int(cents)
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return f"{whole // 100}.{whole % 100:02d}"


def same_offer(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


@dataclass
class Row:
    customer: str
    domain: str
    offer: str
    seats: int
    end: dt.date
    channel: str
    auto_renew: bool
    price: Fraction | None
    target: str | None
    relationship: str
    path: str


def _iso(d: dt.date | None):
    return None if d is None else d.isoformat()


def plan_row(r: Row, today: dt.date, s: Settings, cal: Calendar) -> dict:
    T, E = today, r.end
    life = s.life(r.channel)
    G, D = life.grace, life.disabled
    warnings: set[str] = set()
    changes = r.target is not None and r.target.strip() != "" and not same_offer(r.target, r.offer)

    possible = {
        "overlap": True,
        "grace": r.channel in ("direct", "partner") and T <= E + dt.timedelta(days=G),
        "ea_transfer": r.channel == "ea" and T <= E,
        "csp_transfer": r.channel == "partner" and T <= E and not changes,
    }[r.path]
    path = r.path if possible else "overlap"
    if not possible:
        warnings.add("path_not_available")

    # The overlap rule's date.
    ideal = cal.prev_bd(E - dt.timedelta(days=s.provision_lead))
    short = False
    if ideal >= T:
        ov = ideal
    elif T <= E:
        nb = cal.next_bd(T)
        ov = nb if nb <= E else T
        short = True
    else:
        ov = cal.next_bd(T)

    schedule_by = request_by = None
    if path == "overlap":
        provision = ov
        overlap_days = max(0, (E - provision).days + 1)
        if short:
            warnings.add("lead_time_short")
    elif path == "grace":
        provision = cal.next_bd(max(E + ONE, T))
        overlap_days = 0
        if provision > E + dt.timedelta(days=G):
            warnings.add("grace_deadline_passed")
    elif path == "ea_transfer":
        provision = E + ONE
        overlap_days = 0
        schedule_by = cal.prev_bd(E - dt.timedelta(days=s.provision_lead))
        if schedule_by < T:
            warnings.add("lead_time_short")
    else:
        provision = ov
        overlap_days = 0
        request_by = cal.prev_bd(ov - dt.timedelta(days=30))
        if request_by < T:
            warnings.add("transfer_window_short")

    first = schedule_by or request_by or provision
    invite_by = cal.prev_bd(first - dt.timedelta(days=s.invite_lead))
    if r.relationship == "none" and invite_by < T:
        warnings.add("invite_overdue")

    auto_off = cal.prev_bd(E - dt.timedelta(days=s.auto_renew_notice)) if r.auto_renew else None
    if auto_off is not None and auto_off < T <= E:
        warnings.add("auto_renew_deadline_passed")

    reassign = None
    if changes:
        if path in ("grace", "ea_transfer"):
            reassign = provision
        else:
            reassign = max(provision, cal.prev_bd(E - ONE))

    if r.price is None:
        warnings.add("price_unknown")
        overlap_cost = cancel_cost = None
    else:
        overlap_cost = money(r.price, r.seats, overlap_days)
        cancel_cost = money(r.price, r.seats, (E - T).days) if T <= E else None

    grace_end = E + dt.timedelta(days=G)
    if T <= E:
        stage = "active"
    elif T <= grace_end:
        stage = "expired"
        warnings.add("expired" if life.access_during_grace else "access_lost")
    elif T <= grace_end + dt.timedelta(days=D):
        stage = "disabled"
        warnings.add("access_lost")
    else:
        stage = "deleted"
        warnings.add("data_deleted")

    access_lost = (grace_end if life.access_during_grace else E) + ONE
    deleted = E + dt.timedelta(days=G + D + 1)

    return {
        "customer": r.customer.strip(),
        "domain": r.domain.strip().lower(),
        "offer": r.offer.strip(),
        "seats": r.seats,
        "end_date": E.isoformat(),
        "stage": stage,
        "path": path,
        "provision_on": provision.isoformat(),
        "invite_by": invite_by.isoformat(),
        "schedule_by": _iso(schedule_by),
        "request_transfer_by": _iso(request_by),
        "auto_renew_off_by": _iso(auto_off),
        "reassign_by": _iso(reassign),
        "overlap_days": overlap_days,
        "overlap_cost": overlap_cost,
        "cancel_today_cost": cancel_cost,
        "access_lost_on": access_lost.isoformat(),
        "data_deleted_on": deleted.isoformat(),
        "warnings": warnings,
    }


KIND_ORDER = ["invite", "request_transfer", "schedule", "provision", "auto_renew_off", "reassign"]


def plan(rows: list[Row], today: dt.date, s: Settings) -> dict:
    cal = Calendar(s)
    subs = []
    for i, r in enumerate(rows):
        p = plan_row(r, today, s, cal)
        subs.append({"row": i + 1, **p})

    # Tenant limit: per customer, more than 150 subscriptions on overlap that are still active.
    counts: dict[str, int] = {}
    for p in subs:
        if p["path"] == "overlap" and p["stage"] == "active":
            counts[p["domain"]] = counts.get(p["domain"], 0) + 1
    for p in subs:
        if p["path"] == "overlap" and p["stage"] == "active" and counts[p["domain"]] > 150:
            p["warnings"].add("tenant_limit")

    customers: dict[str, dict] = {}
    for r, p in zip(rows, subs):
        c = customers.setdefault(
            p["domain"],
            {"domain": p["domain"], "customer": p["customer"], "cutover_on": p["provision_on"],
             "actions": [], "warnings": set()},
        )
        c["cutover_on"] = min(c["cutover_on"], p["provision_on"])
        c["warnings"] |= p["warnings"]
        dated = {
            "invite": p["invite_by"] if r.relationship == "none" else None,
            "request_transfer": p["request_transfer_by"],
            "schedule": p["schedule_by"],
            "provision": p["provision_on"],
            "auto_renew_off": p["auto_renew_off_by"],
            "reassign": p["reassign_by"],
        }
        for kind, date in dated.items():
            if date is not None and date >= today.isoformat():
                c["actions"].append((date, KIND_ORDER.index(kind), kind))

    out_customers = []
    for c in sorted(customers.values(), key=lambda c: (c["cutover_on"], c["domain"])):
        nxt = None
        if c["actions"]:
            date, _, kind = min(c["actions"])
            nxt = {"kind": kind, "date": date}
        out_customers.append({
            "domain": c["domain"],
            "customer": c["customer"],
            "cutover_on": c["cutover_on"],
            "next_action": nxt,
            "warnings": sorted(c["warnings"]),
        })
    for p in subs:
        p["warnings"] = sorted(p["warnings"])
    return {"today": today.isoformat(), "subscriptions": subs, "customers": out_customers}
