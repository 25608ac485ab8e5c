#!/usr/bin/env python3
"""Writes native.pb: two delimited io.prometheus.client.MetricFamily records, one with a native
histogram whose schema is out of range, one with a series naming a label twice. Encoded by hand
(the wire format is small) so the test data needs no protobuf module."""
import struct
import sys


def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def field(num, wire, payload):
    return varint(num << 3 | wire) + payload


def length_delimited(num, data):
    return field(num, 2, varint(len(data)) + data)


def double(num, v):
    return field(num, 1, struct.pack("<d", v))


def uint(num, v):
    return field(num, 0, varint(v))


def family(name, help_text, type_, metrics):
    body = length_delimited(1, name.encode()) + length_delimited(2, help_text.encode())
    body += uint(3, type_)
    for m in metrics:
        body += length_delimited(4, m)
    return varint(len(body)) + body


def main():
    span = uint(1, zigzag(0)) + uint(2, 1)
    histogram = (uint(1, 1) + double(2, 0.5) + uint(5, zigzag(9)) + double(6, 1e-128) +
                 uint(7, 0) + length_delimited(12, span) + uint(13, zigzag(1)))
    rpc = family("rpc_seconds", "RPC latency.", 4, [length_delimited(7, histogram)])
    labels = (length_delimited(1, length_delimited(1, b"job") + length_delimited(2, b"a")) +
              length_delimited(1, length_delimited(1, b"job") + length_delimited(2, b"b")))
    jobs = family("jobs", "Jobs.", 1, [labels + length_delimited(2, double(1, 1.0))])
    with open(sys.argv[1], "wb") as f:
        f.write(rpc + jobs)


if __name__ == "__main__":
    main()
