"""Streaming the events out of an XES file, one trace at a time.

XES (IEEE 1849) keeps events inside traces, each with typed attributes such
as ``<string key="org:resource" value="..."/>``. The file is read with
``xml.etree.ElementTree.iterparse`` and every trace is cleared as soon as its
events are yielded, so memory stays flat however long the log is. Attribute
names follow PM4Py's flattening of a log into a table: an event attribute
keeps its key, a trace attribute gets the prefix ``case:`` (the case id is
``case:concept:name``). Values are returned as the text of the ``value``
attribute; nested (list or container) attributes are ignored.

Examples
--------
>>> import io
>>> xes = b'''<log xes.version="1.0"><trace><string key="concept:name" value="c1"/>
... <event><string key="org:resource" value="GP"/><date key="time:timestamp" value="2024-01-01T09:00:00"/></event>
... </trace></log>'''
>>> for event in iter_xes_events(io.BytesIO(xes), "demo.xes"):
...     print(event.trace, event.event, event.attributes)
1 1 {'org:resource': 'GP', 'time:timestamp': '2024-01-01T09:00:00', 'case:concept:name': 'c1'}
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from networks.errors import Problem, ValidationError

if TYPE_CHECKING:
    from _typeshed import SupportsRead

__all__ = ["TRACE_PREFIX", "XesEvent", "iter_xes_events"]

TRACE_PREFIX = "case:"


@dataclass(frozen=True)
class XesEvent:
    """One event of an XES log with its trace's attributes merged in.

    Attributes
    ----------
    trace, event : int
        1-based number of the trace in the file and of the event in its trace.
    attributes : dict of str to str
        Event attributes by key, then trace attributes as ``case:<key>``
        (an event attribute wins over a trace attribute of the same name).
    """

    trace: int
    event: int
    attributes: dict[str, str]


def _local(tag: str) -> str:
    """Drop the XML namespace of a tag: ``{http://www.xes-standard.org/}trace`` -> ``trace``."""
    return tag.rpartition("}")[2]


def iter_xes_events(stream: SupportsRead[bytes], label: str) -> Iterator[XesEvent]:
    """Yield the events of an XES document in file order, trace by trace.

    Parameters
    ----------
    stream : binary file object
        The XES document (already decompressed).
    label : str
        How errors name the file.

    Yields
    ------
    XesEvent
        Events are yielded when their trace closes, because a trace's
        attributes may come after its events.

    Raises
    ------
    networks.errors.ValidationError
        If the XML is malformed, naming the line and column.

    Examples
    --------
    >>> import io
    >>> list(iter_xes_events(io.BytesIO(b"<log><trace>"), "broken.xes"))
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 1 problem:
      broken.xes, line 1, column 12: malformed XML: no element found
    """
    path: list[str] = []
    root: ET.Element | None = None
    trace_no = 0
    trace_attrs: dict[str, str] = {}
    events: list[dict[str, str]] = []
    current: dict[str, str] = {}
    try:
        for kind, elem in ET.iterparse(stream, events=("start", "end")):
            tag = _local(elem.tag)
            if kind == "start":
                if root is None:
                    root = elem
                path.append(tag)
                continue
            path.pop()
            parent = path[-1] if path else None
            if tag == "event" and parent == "trace":
                events.append(current)
                current = {}
                elem.clear()
            elif tag == "trace":
                trace_no += 1
                for number, attrs in enumerate(events, start=1):
                    yield XesEvent(trace_no, number, {**attrs, **{k: v for k, v in trace_attrs.items()
                                                                  if k not in attrs}})
                trace_attrs, events = {}, []
                if root is not None:
                    root.clear()
            elif "key" in elem.attrib and "value" in elem.attrib:
                if parent == "event":
                    current[elem.attrib["key"]] = elem.attrib["value"]
                elif parent == "trace":
                    trace_attrs[TRACE_PREFIX + elem.attrib["key"]] = elem.attrib["value"]
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise ValidationError([Problem(label, f"line {line}, column {column}", None,
                                       f"malformed XML: {reason}")]) from None
