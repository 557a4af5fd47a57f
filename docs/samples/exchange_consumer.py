#!/usr/bin/python3
"""Sample bureau consumer of the PopInfo exchange (docs/exchange.md), over AMQP.

Consumes the department's own queue popinfo.dept.<code> with manual acknowledgement, checks that
every message is a structured CloudEvent as the exchange sends it, drops repeats by `sequence`
(delivery is at least once), warns on gaps, and prints one line per event. It never prints names
or identity numbers: only sequence, type, subject (the person id) and field names.

Needs Debian's python3-pika (pika 1.2 or 1.3).

    exchange_consumer.py --url amqp://popinfo-dept-police:PASSWORD@127.0.0.1:5672/%2F --department police
        [--max N] [--timeout S] [--expect-fields idNumber,name,status] [--json-out events.json]

Exit codes:
    0   done (N events with --max; or stopped by --timeout / Ctrl-C without --max)
    1   cannot connect, or the queue is not there / not ours
    2   --max N events did not arrive within --timeout seconds
    3   an event's data.person holds a field not in --expect-fields (personId is always allowed)
    4   a message was not a valid event of this department (rejected, see stderr)
    64  bad command line
If several apply: 3, then 4, then 2. --json-out is written whenever consuming started.
"""
import argparse
import json
import re
import sys
import time

import pika
import pika.exceptions

CONTENT_TYPE = "application/cloudevents+json"
DEPARTMENT_CODE = re.compile(r"^[a-z][a-z0-9-]{1,30}$")
TYPE_PATTERN = re.compile(r"^cn\.popinfo\.person\.([a-z][a-z-]*)\.v([1-9][0-9]*)$")
SEQUENCE_PATTERN = re.compile(r"^[0-9]{20}$")
UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
CHANGE_TYPES = {"registered", "born", "died", "moved-within-city", "moved-out", "moved-in",
                "migrant-arrived", "migrant-departed", "corrected", "household-changed"}
REQUIRED = ("specversion", "id", "source", "type")   # required by CloudEvents 1.0
EXIT_OK, EXIT_CONNECT, EXIT_TIMEOUT, EXIT_FIELDS, EXIT_INVALID, EXIT_USAGE = 0, 1, 2, 3, 4, 64


class InvalidEvent(Exception):
    pass


def check_event(properties, body, department):
    """Returns the CloudEvent (dict) if the message is a valid event for `department`, else raises InvalidEvent."""
    content_type = (properties.content_type or "").split(";")[0].strip().lower()
    if content_type != CONTENT_TYPE:
        raise InvalidEvent(f"content type is {properties.content_type!r}, expected {CONTENT_TYPE} (structured mode)")
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidEvent(f"body is not UTF-8 JSON: {error}") from None
    if not isinstance(event, dict):
        raise InvalidEvent("body is not a JSON object")

    for name in REQUIRED:
        if not isinstance(event.get(name), str) or not event[name]:
            raise InvalidEvent(f"required attribute '{name}' is missing or not a non-empty string")
    if event["specversion"] != "1.0":
        raise InvalidEvent(f"specversion is {event['specversion']!r}, expected '1.0'")
    match = TYPE_PATTERN.match(event["type"])
    if not match:
        raise InvalidEvent(f"type {event['type']!r} does not match cn.popinfo.person.<change>.v<N>")
    if event["source"] != f"/popinfo/departments/{department}":
        raise InvalidEvent(f"source {event['source']!r} is not this department's")
    sequence = event.get("sequence")
    if not isinstance(sequence, str) or not SEQUENCE_PATTERN.match(sequence):
        raise InvalidEvent(f"sequence {sequence!r} is not a 20-digit string")
    if event["id"] != f"{department}-{int(sequence)}":
        raise InvalidEvent(f"id {event['id']!r} is not '{department}-{int(sequence)}'")
    if not isinstance(event.get("subject"), str) or not UUID_PATTERN.match(event["subject"]):
        raise InvalidEvent("subject is not a person id (UUID)")
    if not isinstance(event.get("time"), str) or not RFC3339.match(event["time"]):
        raise InvalidEvent("time is not an RFC 3339 timestamp")
    if event.get("datacontenttype") != "application/json":
        raise InvalidEvent("datacontenttype is not application/json")
    registry_sequence = event.get("registrysequence")
    if not isinstance(registry_sequence, int) or isinstance(registry_sequence, bool) or registry_sequence < 1:
        raise InvalidEvent("registrysequence is not a positive integer")
    if not isinstance(event.get("subscriptionid"), str) or not UUID_PATTERN.match(event["subscriptionid"]):
        raise InvalidEvent("subscriptionid is not a UUID")

    data = event.get("data")
    if not isinstance(data, dict):
        raise InvalidEvent("data is not an object")
    if data.get("changeType") != match.group(1):
        raise InvalidEvent(f"data.changeType {data.get('changeType')!r} does not agree with type")
    if not isinstance(data.get("changedFields"), list) or not all(isinstance(f, str) for f in data["changedFields"]):
        raise InvalidEvent("data.changedFields is not a list of names")
    person = data.get("person")
    if not isinstance(person, dict) or person.get("personId") != event["subject"]:
        raise InvalidEvent("data.person is missing or its personId is not the subject")

    # The AMQP properties repeat the event id and type; a disagreement is worth a warning, not a refusal.
    if properties.message_id not in (None, event["id"]):
        warn(f"message_id {properties.message_id!r} differs from the event id {event['id']!r}")
    if properties.type not in (None, event["type"]):
        warn(f"AMQP type {properties.type!r} differs from the event type {event['type']!r}")
    if match.group(1) not in CHANGE_TYPES:
        warn(f"unknown change type {match.group(1)!r} (newer than this sample?); kept")
    return event


class SequenceTracker:
    """Drops repeats by sequence; reports gaps. Keeps every sequence in memory (a sample: a real
    consumer stores its position durably, with the events, and prunes below its gap-free mark)."""

    def __init__(self):
        self.highest = None      # highest sequence seen
        self.seen = set()        # sequences seen

    def accept(self, sequence):
        """Returns 'repeat', 'late' (fills an earlier gap), or 'new'."""
        if sequence in self.seen:
            return "repeat"
        self.seen.add(sequence)
        if self.highest is None:
            self.highest = sequence
            return "new"
        if sequence < self.highest:
            return "late"
        if sequence > self.highest + 1:
            missing = str(self.highest + 1) if sequence == self.highest + 2 else f"{self.highest + 1}..{sequence - 1}"
            warn(f"gap: sequence {missing} missing — read the feed to fill the gap: GET /api/v1/feed?after={self.highest}")
        self.highest = sequence
        return "new"


def warn(message):
    print(f"warning: {message}", file=sys.stderr, flush=True)


def summary(event, state):
    data = event["data"]
    fields = ",".join(sorted(k for k in data["person"] if k != "personId")) or "-"
    changed = ",".join(data["changedFields"]) or "-"
    late = " (late: fills a gap)" if state == "late" else ""
    # Only ids, type and field NAMES: never values such as names or identity numbers.
    return (f"{event['sequence']} {event['type']} subject={event['subject']} "
            f"registry={event['registrysequence']} fields={fields} changed={changed}{late}")


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Consume a department's PopInfo exchange queue (CloudEvents over AMQP).")
    parser.error = lambda message: (parser.print_usage(sys.stderr),
                                    print(f"error: {message}", file=sys.stderr), sys.exit(EXIT_USAGE))
    parser.add_argument("--url", required=True, help="amqp://popinfo-dept-CODE:PASSWORD@host:5672/vhost (vhost '/' is %%2F)")
    parser.add_argument("--department", required=True, help="department code, e.g. police")
    parser.add_argument("--max", type=int, default=0, help="stop after N new events (exit 2 if --timeout passes first)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds to run at most")
    parser.add_argument("--expect-fields", default=None,
                        help="comma-separated person fields the department is entitled to; exit 3 on any other")
    parser.add_argument("--json-out", default=None, help="write the received events (no repeats) as a JSON array")
    parser.add_argument("--prefetch", type=int, default=50, help="unacknowledged messages in flight (default 50)")
    args = parser.parse_args(argv)
    if not DEPARTMENT_CODE.match(args.department):
        parser.error("--department must match ^[a-z][a-z0-9-]{1,30}$")
    if args.max < 0 or (args.timeout is not None and args.timeout <= 0) or args.prefetch < 1:
        parser.error("--max must be >= 0, --timeout > 0, --prefetch >= 1")
    return args


def main(argv=None):
    sys.stdout.reconfigure(encoding="utf-8")
    args = parse_args(argv)
    queue = f"popinfo.dept.{args.department}"
    allowed = None
    if args.expect_fields is not None:
        allowed = {f.strip() for f in args.expect_fields.split(",") if f.strip()} | {"personId"}

    try:
        connection = pika.BlockingConnection(pika.URLParameters(args.url))
        channel = connection.channel()
        # Passive: only checks the queue is there; the department may not declare anything (configure "^$").
        waiting = channel.queue_declare(queue, passive=True).method.message_count
        channel.basic_qos(prefetch_count=args.prefetch)
    except pika.exceptions.ChannelClosedByBroker as error:
        print(f"error: queue {queue}: {error.reply_text}", file=sys.stderr)
        return EXIT_CONNECT
    except (pika.exceptions.AMQPError, OSError, ValueError) as error:
        print(f"error: cannot connect: {error!r}", file=sys.stderr)
        return EXIT_CONNECT
    print(f"ready queue={queue} waiting={waiting}", flush=True)

    tracker = SequenceTracker()
    events, received, leaked, invalid, timed_out = [], 0, False, 0, False
    deadline = None if args.timeout is None else time.monotonic() + args.timeout
    try:
        # inactivity_timeout: wake at least once a second to look at the deadline.
        for method, properties, body in channel.consume(queue, inactivity_timeout=1.0):
            if deadline is not None and time.monotonic() >= deadline:
                timed_out = True
                if method is not None:          # not processed: back to the queue for the next run
                    channel.basic_nack(method.delivery_tag, requeue=True)
                break
            if method is None:
                continue
            try:
                event = check_event(properties, body, args.department)
            except InvalidEvent as error:
                invalid += 1
                print(f"invalid message (delivery {method.delivery_tag}, message_id {properties.message_id!r}): {error}",
                      file=sys.stderr, flush=True)
                channel.basic_nack(method.delivery_tag, requeue=False)   # the feed still has every real event
                continue

            state = tracker.accept(int(event["sequence"]))
            if state == "repeat":
                print(f"{event['sequence']} repeat, dropped", file=sys.stderr, flush=True)
                channel.basic_ack(method.delivery_tag)
                continue

            # "Process" the event: here, print its summary (and keep it for --json-out). Acknowledge only afterwards.
            received += 1
            if args.json_out:
                events.append(event)
            print(summary(event, state), flush=True)
            if allowed is not None:
                extra = sorted(set(event["data"]["person"]) - allowed)
                if extra:
                    leaked = True
                    print(f"{event['sequence']} NOT ENTITLED: person has fields {','.join(extra)}",
                          file=sys.stderr, flush=True)
                extra_changed = sorted(set(event["data"]["changedFields"]) - allowed)
                if extra_changed:
                    warn(f"{event['sequence']} changedFields names fields outside --expect-fields: {','.join(extra_changed)}")
            channel.basic_ack(method.delivery_tag)
            if args.max and received >= args.max:
                break
    except KeyboardInterrupt:
        pass
    except pika.exceptions.ChannelClosedByBroker as error:
        print(f"error: queue {queue}: {error.reply_code} {error.reply_text}", file=sys.stderr)
        write_json(args.json_out, events)
        return EXIT_CONNECT
    except pika.exceptions.AMQPError as error:
        print(f"error: connection lost: {error!r} (unacknowledged messages will be delivered again)", file=sys.stderr)
        write_json(args.json_out, events)
        return EXIT_CONNECT

    try:
        channel.cancel()
        connection.close()
    except pika.exceptions.AMQPError:
        pass
    write_json(args.json_out, events)

    if leaked:
        return EXIT_FIELDS
    if invalid:
        return EXIT_INVALID
    if timed_out and args.max and received < args.max:
        print(f"error: {received} of {args.max} events within {args.timeout} s", file=sys.stderr)
        return EXIT_TIMEOUT
    return EXIT_OK


def write_json(path, events):
    if path:
        with open(path, "w", encoding="utf-8") as file:
            json.dump(events, file, ensure_ascii=False, indent=1)
            file.write("\n")


if __name__ == "__main__":
    sys.exit(main())
