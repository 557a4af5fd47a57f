#!/usr/bin/python3
"""A PopInfo consumer that is not .NET: reads PersonChanged events from RabbitMQ.

Binds its own durable queue to the fanout exchange popinfo.person-changed, drops repeats by
event id (delivery is at least once), and prints one JSON line per new event. Needs Debian's
python3-pika.

    person_changed_consumer.py amqp://user:password@127.0.0.1:5672/ my-queue [count] [timeout-seconds]
"""
import json
import sys

import pika

EXCHANGE = "popinfo.person-changed"


def main():
    sys.stdout.reconfigure(encoding="utf-8")   # names are Chinese, whatever the locale
    url, queue = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 0          # 0: run until stopped
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else None

    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.exchange_declare(EXCHANGE, exchange_type="fanout", durable=True)
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, EXCHANGE)
    print(json.dumps({"ready": queue}), flush=True)

    seen = set()
    for method, properties, body in channel.consume(queue, inactivity_timeout=timeout):
        if method is None:                     # timed out waiting
            break
        envelope = json.loads(body)
        event = envelope["message"]            # MassTransit envelope: the event is "message"
        if event["eventId"] not in seen:
            seen.add(event["eventId"])
            print(json.dumps({
                "messageId": properties.message_id,
                "contentType": properties.content_type,
                "persistent": properties.delivery_mode == 2,
                "eventId": event["eventId"],
                "sequence": event["sequence"],
                "changeType": event["changeType"],
                "personId": event["personId"],
                "version": event["version"],
                "changedFields": event["changedFields"],
                "name": event["person"]["name"],
            }, ensure_ascii=False), flush=True)
        channel.basic_ack(method.delivery_tag)
        if count and len(seen) >= count:
            break

    channel.cancel()
    connection.close()


if __name__ == "__main__":
    main()
