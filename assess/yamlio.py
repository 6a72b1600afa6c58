"""YAML reading that remembers where every key and item came from and refuses duplicate keys.

Every mapping becomes a `Node` (a dict) and every sequence a `NodeList` (a list); both know
their file and the line/column of each key or item, so any later check can point at the exact
place.  Dates are *not* converted by YAML: they stay strings and are parsed by the code that
knows what the field means, so an impossible date gets a clear message instead of a traceback.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import AssessError


class Node(dict):
    """A YAML mapping with positions: `.file`, `.line`, `.col` and `.key_pos[key] = (line, col)`."""

    file: str = "<input>"
    line: int | None = None
    col: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_pos: dict[str, tuple[int, int]] = {}
        self.value_pos: dict[str, tuple[int, int]] = {}

    def pos(self, key: str | None = None) -> tuple[str, int | None, int | None]:
        if key is not None and key in self.value_pos:
            line, col = self.value_pos[key]
            return self.file, line, col
        if key is not None and key in self.key_pos:
            line, col = self.key_pos[key]
            return self.file, line, col
        return self.file, self.line, self.col

    def error(self, message: str, key: str | None = None, **kw) -> AssessError:
        file, line, col = self.pos(key)
        return AssessError(message, file=file, line=line, col=col, **kw)


class NodeList(list):
    """A YAML sequence with positions: `.file`, `.line`, `.col` and `.item_pos[i] = (line, col)`."""

    file: str = "<input>"
    line: int | None = None
    col: int | None = None

    def __init__(self, *args):
        super().__init__(*args)
        self.item_pos: list[tuple[int, int]] = []

    def pos(self, index: int | None = None) -> tuple[str, int | None, int | None]:
        if index is not None and index < len(self.item_pos):
            line, col = self.item_pos[index]
            return self.file, line, col
        return self.file, self.line, self.col

    def error(self, message: str, index: int | None = None, **kw) -> AssessError:
        file, line, col = self.pos(index)
        return AssessError(message, file=file, line=line, col=col, **kw)


# Limits on what a file may hold (README, "Limits"): a hostile file is refused with a message
# instead of exhausting memory or the stack.
MAX_FILE_BYTES = 10 * 1024 * 1024      # 10 MB of text
MAX_DEPTH = 64                         # mappings and lists nested in one another
MAX_VALUES = 200_000                   # values after YAML aliases are expanded


# libyaml's parser (C) when PyYAML has it: the same nodes and positions, several times faster.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    filename = "<input>"


# Keep dates as text: the field's own parser gives a better message than YAML would.  Only
# yes/no/true/false are booleans: YAML 1.1 would also turn `on:` and `off:` into true/false.
_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers
         if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE)$"),
    list("yYnNtTfF"))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    result = Node()
    result.file = loader.filename
    result.line, result.col = node.start_mark.line + 1, node.start_mark.column + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise AssessError("a mapping key must be a plain word", file=loader.filename,
                              line=key_node.start_mark.line + 1, col=key_node.start_mark.column + 1)
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            first = result.key_pos[key]
            raise AssessError(f"duplicate key '{key}' (first defined at line {first[0]})",
                              file=loader.filename, line=key_node.start_mark.line + 1,
                              col=key_node.start_mark.column + 1, field=key,
                              hint="each key may appear only once in a mapping; remove or rename one")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_pos[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        result.value_pos[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> NodeList:
    result = NodeList(loader.construct_object(child, deep=True) for child in node.value)
    result.file = loader.filename
    result.line, result.col = node.start_mark.line + 1, node.start_mark.column + 1
    result.item_pos = [(c.start_mark.line + 1, c.start_mark.column + 1) for c in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def loads(text: str, filename: str = "<input>") -> Any:
    """Parse YAML (or JSON, which is YAML) text; syntax errors become an AssessError with line:col."""
    loader = _Loader(text)
    loader.filename = filename
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(node, filename)
        return loader.construct_document(node)
    except AssessError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise AssessError(f"YAML syntax error: {exc.problem or exc.context}", file=filename,
                          line=mark.line + 1 if mark else None,
                          col=mark.column + 1 if mark else None,
                          hint="check indentation, colons and quotes on this line") from None
    except yaml.reader.ReaderError as exc:
        # a character YAML does not allow in a file (a raw control character such as ESC):
        # PyYAML gives only its offset in the text
        if not isinstance(exc.character, int):
            raise AssessError(f"YAML error: {exc}", file=filename) from None
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise AssessError(f"the character U+{exc.character:04X} (a control character) is not "
                          f"allowed in a YAML file", file=filename, line=line, col=col,
                          expected="printable text (a tab, line breaks and any Chinese or "
                                   "other printable character)",
                          hint="delete it; to write it on purpose, use an escape such as "
                               "\"\\x1b\" in double quotes",
                          zh={"message": f"YAML 文件中不能有字符 U+{exc.character:04X}（控制字符）",
                              "expected": "可打印的文字（制表符、换行和任何中文或其他可打印字符）",
                              "hint": "删除它；确需写入时，在双引号中用转义，如 \"\\x1b\""}
                          ) from None
    except yaml.YAMLError as exc:
        raise AssessError(f"YAML error: {exc}", file=filename) from None
    finally:
        loader.dispose()


def _check_size(root: yaml.Node, filename: str) -> None:
    """Refuse a document nested deeper than MAX_DEPTH, or holding more than MAX_VALUES values
    once its aliases are expanded (an alias repeats a whole subtree: a few KB can stand for
    gigabytes).  Counted without recursion, each distinct node once."""
    order, depth, stack = [], {id(root): 1}, [root]
    seen = {id(root)}
    while stack:                               # depth first; parents before children
        node = stack.pop()
        order.append(node)
        d = depth[id(node)]
        if d > MAX_DEPTH:
            raise AssessError(f"nested more than {MAX_DEPTH} levels deep", file=filename,
                              line=node.start_mark.line + 1, col=node.start_mark.column + 1,
                              expected=f"at most {MAX_DEPTH} levels of nested lists and mappings",
                              hint="a case or rule file needs only a few levels; check the indentation")
        for child in _children(node):
            depth[id(child)] = max(depth.get(id(child), 0), d + 1)
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    size: dict[int, int] = {}
    for node in reversed(order):              # children before parents
        size[id(node)] = 1 + sum(size.get(id(c), 1) for c in _children(node))
        if size[id(node)] > MAX_VALUES:
            raise AssessError(f"the file expands to more than {MAX_VALUES:,} values "
                              "(YAML aliases repeat whole parts of it)", file=filename,
                              line=node.start_mark.line + 1, col=node.start_mark.column + 1,
                              expected=f"at most {MAX_VALUES:,} values",
                              hint="write the entries out instead of repeating them with * aliases")


def _children(node: yaml.Node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [x for pair in node.value for x in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def read_text(path: str | Path, what: str = "file") -> str:
    """The UTF-8 text of a regular file of at most MAX_FILE_BYTES; anything else (a directory,
    a device such as /dev/zero, a FIFO, a file too large or not UTF-8) gives an AssessError."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise AssessError(f"{what} not found", file=str(path)) from None
    except OSError as exc:
        raise AssessError(f"cannot read {what}: {exc.strerror}", file=str(path)) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode) \
            else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file"
        raise AssessError(f"{what} is {kind}", file=str(path), expected="a regular text file")
    if st.st_size > MAX_FILE_BYTES:
        raise AssessError(f"{what} is {st.st_size:,} bytes, more than the limit of "
                          f"{MAX_FILE_BYTES:,}", file=str(path),
                          expected=f"a file of at most {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise AssessError(f"cannot read {what}: {exc.strerror}", file=str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise AssessError(f"{what} is larger than the limit of {MAX_FILE_BYTES:,} bytes",
                          file=str(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise AssessError(f"file is not UTF-8 text (byte {exc.start})", file=str(path),
                          line=line, col=col, hint="save the file as UTF-8") from None


def load(path: str | Path) -> Any:
    """Read and parse a YAML/JSON file with positions; unreadable files give an AssessError."""
    path = Path(path)
    return loads(read_text(path), str(path))


def check_keys(node: Node, allowed: set[str] | dict, required: set[str] = frozenset(),
               what: str = "entry") -> None:
    """Reject unknown keys (with the closest allowed one as a hint) and report missing ones."""
    import difflib

    if not isinstance(node, Node):
        raise AssessError(f"{what} must be a mapping of keys to values")
    for key in node:
        if key not in allowed:
            close = difflib.get_close_matches(key, list(allowed), n=1)
            raise node.error(f"unknown key '{key}' in {what}", key=key, field=key,
                             expected="one of: " + ", ".join(sorted(allowed)),
                             hint=f"did you mean '{close[0]}'?" if close else None)
    for key in sorted(required):
        if key not in node:
            raise node.error(f"{what} lacks the required key '{key}'", field=key)
