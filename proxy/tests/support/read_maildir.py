"""Prints every message of a Maildir as JSON, decoded the way a mail client decodes it.

Used by the notification tests: `python3 read_maildir.py DIR`.
"""
import email.policy
import json
import mailbox
import sys


def part(msg, subtype):
    body = msg.get_body(preferencelist=(subtype,))
    return body.get_content() if body is not None else None


def main():
    box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
    out = []
    for key in box.keys():
        with box.get_file(key) as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        out.append({
            "subject": str(msg["subject"] or ""),
            "from": str(msg["from"] or ""),
            "to": str(msg["to"] or ""),
            "date": str(msg["date"] or ""),
            "messageId": str(msg["message-id"] or ""),
            "dedupId": str(msg["x-cutover-message-id"] or ""),
            "listUnsubscribe": str(msg["list-unsubscribe"] or ""),
            "listUnsubscribePost": str(msg["list-unsubscribe-post"] or ""),
            "contentLanguage": str(msg["content-language"] or ""),
            "contentType": msg.get_content_type(),
            "text": part(msg, "plain"),
            "html": part(msg, "html"),
        })
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
