"""Reads Cutover's calendar files and feed with independent libraries and checks them.

Usage: check_clients.py STATUS_BEFORE STATUS_AFTER PARTNER_BEFORE PARTNER_AFTER FEED TOKEN

- Calendars: icalendar and vobject must both read every file and agree on every event; the
  customer's file is in Japanese and holds their own deadline and the originals' end dates; after
  a settings change the same UIDs come back, and a moved event has a higher SEQUENCE.
- Feed: feedparser reads it without complaint, in Japanese, with a self link, an alternate link
  to the status page and entries newest first.

Prints a JSON summary; exits 1 with a sentence on the first failure.
"""
import json
import sys

import feedparser
import icalendar
import vobject


def fail(why):
    print(why, file=sys.stderr)
    sys.exit(1)


def with_icalendar(text):
    cal = icalendar.Calendar.from_ical(text)
    out = {}
    for e in cal.walk("VEVENT"):
        summary = e.get("SUMMARY")
        out[str(e.get("UID"))] = {
            "start": e.decoded("DTSTART").isoformat(),
            "sequence": int(e.get("SEQUENCE")),
            "summary": str(summary),
            "lang": summary.params.get("LANGUAGE"),
            "status": str(e.get("STATUS")),
        }
    return out


def with_vobject(text):
    cal = vobject.readOne(text)
    out = {}
    for e in cal.contents.get("vevent", []):
        summary = e.contents["summary"][0]
        out[e.uid.value] = {
            "start": e.dtstart.value.isoformat(),
            "sequence": int(e.sequence.value),
            "summary": summary.value,
            "lang": summary.params.get("LANGUAGE", [None])[0],
            "status": e.status.value,
        }
    return out


def read_calendar(path):
    with open(path, "rb") as f:
        raw = f.read()
    a = with_icalendar(raw)
    b = with_vobject(raw.decode("utf-8"))
    if a != b:
        fail(f"{path}: icalendar and vobject read different events:\n{a}\n{b}")
    if not a:
        fail(f"{path}: no events")
    return a


def compare(before, after, what):
    if set(before) != set(after):
        fail(f"{what}: the UIDs changed with the settings: {sorted(set(before) ^ set(after))}")
    moved = [uid for uid in before if before[uid]["start"] != after[uid]["start"]]
    for uid in before:
        if after[uid]["sequence"] <= before[uid]["sequence"] and uid in moved:
            fail(f"{what}: {uid} moved without a higher SEQUENCE")
    return moved


def main():
    status_before, status_after, partner_before, partner_after, feed_path, token = sys.argv[1:7]
    sb, sa = read_calendar(status_before), read_calendar(status_after)
    pb, pa = read_calendar(partner_before), read_calendar(partner_after)
    for uid, e in sb.items():
        if e["lang"] != "ja":
            fail(f"{uid}: the status page's event is not marked Japanese: {e}")
        if not any(ord(c) > 0x3000 for c in e["summary"]):
            fail(f"{uid}: the status page's event title is not Japanese: {e['summary']}")
    if not any(u.startswith("status-accept_invitation-") for u in sb):
        fail("the status page's calendar lacks the customer's own deadline (accept the invitation)")
    if not any(u.startswith("status-original_ends-") for u in sb):
        fail("the status page's calendar lacks the originals' end dates")
    status_moved = compare(sb, sa, "status page calendar")
    partner_moved = compare(pb, pa, "partner calendar")
    if not status_moved and not partner_moved:
        fail("the settings change moved no event, so nothing was checked")

    d = feedparser.parse(feed_path)
    if d.bozo:
        fail(f"feedparser: {d.bozo_exception}")
    if d.feed.get("language") != "ja":
        fail(f"the feed's language is {d.feed.get('language')!r}, not ja")
    rels = {l.get("rel"): l.get("href") for l in d.feed.get("links", [])}
    if not (rels.get("self") or "").endswith(f"/api/public/status/{token}/feed.atom?lang=ja"):
        fail(f"no self link to the feed: {rels}")
    if not (rels.get("alternate") or "").endswith(f"/status/{token}"):
        fail(f"no alternate link to the status page: {rels}")
    versions = [int(e.id.rsplit(":", 1)[1]) for e in d.entries]
    if versions != sorted(versions, reverse=True) or len(set(versions)) != len(versions):
        fail(f"entries are not newest first by version: {versions}")
    if not all(any(ord(c) > 0x3000 for c in e.title) for e in d.entries):
        fail(f"entry titles are not Japanese: {[e.title for e in d.entries]}")
    print(json.dumps({
        "statusEvents": len(sb),
        "statusMoved": len(status_moved),
        "partnerEvents": len(pb),
        "partnerMoved": len(partner_moved),
        "feedEntries": len(d.entries),
        "feedTitles": [e.title for e in d.entries],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
