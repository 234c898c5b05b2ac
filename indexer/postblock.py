"""A field's posting lists written in the Whoosh 3 codec's format, with per-block work done in numpy.

This is what `W3PostingsWriter` (start_postings / add_posting / finish_postings) and
`W3FieldWriter.finish_term` do posting by posting, done for a whole field at once: the
postings are cut into the same blocks of 128, every block statistic (id deltas, max
weight, min and max field length, whether all weights are 1 or equal) is computed with
numpy over all blocks together, and only the pickling, compression and writing of each
block stays a Python loop. The format is Whoosh's own: Whoosh is pinned
(whoosh3==3.54.0) and a test compares every posting, block statistic and term record
with what Whoosh's writer produces. Blocks that hold values differ in bytes, not in
what they read back as: they are pickled with protocol 4 (see _BYTES_PROTOCOL), and a
value object repeated within a block (the cached encoding of a single position, see
`fastindex`) is pickled once and referenced after.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from dataclasses import dataclass
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

_TERMINFO = struct.Struct("!BfIBBfII")
#: Whoosh pickles blocks with protocol 2, which writes every bytes value as a call of
#: codecs.encode on a str: ten times slower to write and to read than protocol 4's bytes
#: opcode, and twice the size. Whoosh reads blocks with pickle.loads, so any protocol reads.
_BYTES_PROTOCOL = 4
_NO_LENGTH = np.iinfo(np.int64).max


@dataclass
class Blocks:
    """One field's postings, sorted by (term, document): bounds[i]:bounds[i+1] are words[i]'s."""

    words: list[bytes]
    bounds: np.ndarray
    docs: np.ndarray  # int64
    weights: np.ndarray  # float64, as the writer was given them
    lengths: np.ndarray | None  # the document's (quantized) field length per posting, or None
    values: list[bytes] | None  # encoded value per posting (in the same order), or None (format stores none)
    limit: int


class TermWriter:
    """Writes every term of the field a `W3FieldWriter` has just started (after `start_field`)."""

    def __init__(self, fieldwriter: Any, fmt: Any) -> None:
        pw = fieldwriter._postwriter
        self.postfile = pw._postfile
        self.compression = pw._compression
        self.tindex = fieldwriter._tindex
        self.prefix = pack_ushort(fieldwriter._fieldid)
        fixed = fmt.fixed_value_size()
        self.values_mode = "tuple" if fixed is None or fixed < 0 else "none" if fixed == 0 else "join"

    @staticmethod
    def limit_of(fieldwriter: Any) -> int:
        return fieldwriter._codec._blocklimit

    def write_all(self, p: Blocks) -> None:
        counts = np.diff(p.bounds)
        nb = (counts + p.limit - 1) // p.limit
        block_term = np.repeat(np.arange(len(p.words)), nb)
        first_block = np.cumsum(nb) - nb
        starts = p.bounds[block_term] + (np.arange(block_term.size) - first_block[block_term]) * p.limit
        term_ends = p.bounds[block_term + 1]
        ends = np.minimum(starts + p.limit, term_ends)
        if starts.size == 0:
            return
        deltas = p.docs.copy()
        deltas[1:] -= p.docs[:-1]
        deltas[starts] = p.docs[starts]
        w32 = p.weights.astype(np.float32).astype(np.float64)
        low = np.minimum.reduceat(w32, starts)
        high = np.maximum.reduceat(w32, starts)
        top = np.maximum.reduceat(p.weights, starts)
        exact = bool(np.all(w32 == np.floor(w32))) and float(np.abs(w32).sum()) < 2.0 ** 50
        sums = np.add.reduceat(w32, starts).tolist() if exact else None
        if p.lengths is not None:
            min_len = np.minimum.reduceat(np.where(p.lengths > 0, p.lengths, _NO_LENGTH), starts).tolist()
            max_len = np.maximum.reduceat(p.lengths, starts).tolist()
        else:
            min_len = max_len = None
        self._write_blocks(p, starts.tolist(), ends.tolist(), (ends == term_ends).tolist(), deltas, w32,
                           (low == 1.0) & (high == 1.0), low == high, top.tolist(), sums, min_len, max_len)

    def _write_blocks(self, p: Blocks, starts: list[int], ends: list[int], last: list[bool], deltas: np.ndarray,
                      w32: np.ndarray, ones: np.ndarray, same: np.ndarray, tops: list[float],
                      sums: list[float] | None, min_len: list[int] | None, max_len: list[int] | None) -> None:
        raw = getattr(self.postfile, "file", self.postfile)  # the buffered file under Whoosh's StructFile
        write, tell = raw.write, raw.tell
        ones_l, same_l = ones.tolist(), same.tolist()
        docs, bounds = p.docs, p.bounds.tolist()
        values, mode, compression = p.values, self.values_mode, self.compression
        add_term, prefix, words = self.tindex.add, self.prefix, p.words
        term = 0
        begin = True
        for i, (a, b) in enumerate(zip(starts, ends)):
            if begin:
                offset = tell()
                write(WHOOSH3_HEADER_MAGIC)
                t_weight: float = 0
                t_minlen: int | None = None
                t_maxlen = 0
                t_maxweight: float = 0
                begin = False
            if min_len is not None:
                b_minlen = None if min_len[i] == _NO_LENGTH else min_len[i]
                b_maxlen = max_len[i]  # type: ignore[index]
            else:
                b_minlen, b_maxlen = None, 0
            b_maxweight = tops[i] if tops[i] > 0 else 0
            t_weight += sums[i] if sums is not None else sum(array("f", p.weights[a:b].tolist()))
            t_minlen = b_minlen if t_minlen is None else min(t_minlen, b_minlen)  # type: ignore[type-var]
            t_maxlen = max(t_maxlen, b_maxlen)
            t_maxweight = max(t_maxweight, b_maxweight)
            weights = None if ones_l[i] else float(w32[a]) if same_l[i] else tuple(w32[a:b].tolist())
            chunk = values[a:b] if values is not None else []
            mini = None if mode == "none" else tuple(chunk) if mode == "tuple" else b"".join(chunk)
            data = dumps((tuple(deltas[a:b].tolist()), weights, mini), 2 if mini is None else _BYTES_PROTOCOL)
            comp = compression if len(data) >= COMPRESSION_MIN_SIZE else 0
            if comp:
                data = zlib.compress(data, comp)
            last_id = int(docs[b - 1])
            info = dumps((b - a, last_id, b_maxweight, comp, length_to_byte(b_minlen), length_to_byte(b_maxlen)), 2)
            size = len(info) + len(data)
            write(pack_int(-size if last[i] else size))
            write(info)
            write(data)
            if last[i]:
                first = bounds[term]
                record = _TERMINFO.pack(
                    0, t_weight, bounds[term + 1] - first, 0 if t_minlen is None else length_to_byte(t_minlen),
                    length_to_byte(t_maxlen), t_maxweight, int(docs[first]), last_id,
                )
                add_term(prefix + words[term], record + pack_long(offset) + pack_int(tell() - offset))
                term += 1
                begin = True
