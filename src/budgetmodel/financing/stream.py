"""One pass over a panel file in its own row order: read, check and price block by block, no sort.

The refund rules look at one person at a time (the spell per benefit, the one staircase count
per person with its restart after 52 weeks of self-support within 156, § 6, stk. 1), and each
rule only needs what came before in the person's own weeks. So instead of sorting the panel by
person and week (:func:`refund.run_engine`), this path keeps each person's state in arrays
indexed by a dense person code — the last week with rows, the run of each benefit, the count
and the week it started, and a ring of bits marking the weeks with rows in the restart window —
and lets every row update its own person's state as it arrives. The rows need not be grouped by
person; only each person's weeks must arrive in non-decreasing order (a register extract sorted
by week, by person and week, or in blocks of persons ordered by week, is). That is checked row
by row, in O(n).

While pyarrow parses the next block of the file in its threads, the compiled kernels (which
release the GIL) price the current one, so reading and pricing overlap. Memory is one block plus
a few hundred bytes per person, however many rows the panel has.

:func:`stream_summary` returns None — and the caller takes the sorting path, in memory or in
partitions, which also names every problem with its file and line — when the panel is not one it
prices exactly as that path would: a person's week arriving after a later week of theirs, any row
a check would refuse (a malformed line, an unknown code, an amount that is missing, negative or
too large, a week outside the law, a case without a rule), a mapping that drops rows, or more
persons than the memory budget holds. Each row's kroner are rounded to millionths and added as
integers (:mod:`exact`), so its summary is the sorting path's, to the byte.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from budgetmodel.codes import ACTIVATIONS, BENEFITS, SUBSIDISED_EMPLOYMENT
from budgetmodel.financing import exact
from budgetmodel.financing.calendar import add_to_years
from budgetmodel.financing.exact import add_micro, micro_of
from budgetmodel.jit import kernel

STREAM_BLOCK_BYTES = 4 << 20  # bytes of CSV text per block (larger blocks cost more in page faults than they save)
PARQUET_BATCH_ROWS = 1 << 20
NO_WEEK = -(1 << 30)  # a person's state before their first row
# the span of weeks the kernels index (1990-W01 … 2100); a week outside it is outside the law anyway
FIRST_YEAR, LAST_YEAR = 1990, 2100

# statuses of price_block: why the stream gives up (the sorting path then prices or refuses the panel)
OK, ORDER, NO_RULE, BAD_AMOUNT = 0, 1, 2, 3


# ------------------------------------------------------------------------------------ person codes


@kernel
def fnv8(v):  # pragma: no cover - compiled
    """FNV-1a (32 bits) of the 8 bytes of an int64: the slot hash of the id tables."""
    h = np.int64(2166136261)
    for k in range(8):
        h = ((h ^ ((v >> (8 * k)) & 0xFF)) * 16777619) & 0xFFFFFFFF
    return h


@kernel
def find_key(table, key, code):  # pragma: no cover - compiled
    """The code of ``key`` in an open-addressing table of (key, code) pairs; a new key gets ``code``."""
    mask = table.shape[0] // 2 - 1
    slot = fnv8(key) & mask
    while True:
        c = table[2 * slot + 1]
        if c < 0:
            table[2 * slot] = key
            table[2 * slot + 1] = code
            return code
        if table[2 * slot] == key:
            return c
        slot = (slot + 1) & mask


@kernel
def intern_text(offsets, data, keys, key_of, succ, table, hashes, starts, lengths, buf, counts):  # pragma: no cover - compiled
    """Dense person codes (first seen, first code) of text ids, stripped of white space at both
    ends (' 7' is '7'; '007' is not '7').

    An id of at most 17 digits is its number and length in one integer key (``keys``, a table of
    (key, code) pairs; ``key_of`` the key of each code, so that a person coming soon after the
    previous row's person in the order of first appearance, as in an extract sorted by week and id,
    is found without a hash); any other id goes through ``table`` (codes by FNV-1a hash, the bytes kept in
    ``buf`` to compare). ``counts`` = [persons so far, bytes of ``buf`` used, 0]; its last cell is
    set to the row + 1 of an id that is empty or ends in a byte above ASCII (white space beyond
    ASCII is the sorting path's to judge). The caller sizes the arrays for every row being new."""
    n = offsets.shape[0] - 1
    codes = np.empty(n, np.int64)
    mask = table.shape[0] - 1
    nlab = counts[0]
    used = counts[1]
    prev = 0
    for i in range(n):
        a = offsets[i]
        b = offsets[i + 1]
        while a < b and (data[a] == 32 or 9 <= data[a] <= 13 or 28 <= data[a] <= 31):
            a += 1
        while b > a and (data[b - 1] == 32 or 9 <= data[b - 1] <= 13 or 28 <= data[b - 1] <= 31):
            b -= 1
        if a == b or data[a] >= 128 or data[b - 1] >= 128:
            counts[2] = i + 1
            break
        length = b - a
        if length <= 17:
            v = np.int64(0)
            for k in range(a, b):
                d = np.int64(data[k]) - 48
                if d < 0 or d > 9:
                    v = -1
                    break
                v = v * 10 + d
            if v >= 0:
                c = code_of(keys, key_of, succ, v * 32 + length, prev, nlab)
                nlab = max(nlab, c + 1)
                codes[i] = c
                prev = c
                continue
        h = np.int64(2166136261)  # FNV-1a, 32 bits
        for k in range(a, b):
            h = ((h ^ np.int64(data[k])) * 16777619) & 0xFFFFFFFF
        slot = h & mask
        while True:
            c = table[slot]
            if c < 0:
                c = nlab
                table[slot] = c
                hashes[c] = h
                starts[c] = used
                lengths[c] = length
                for k in range(length):
                    buf[used + k] = data[a + k]
                used += length
                key_of[c] = -1
                nlab += 1
                break
            if hashes[c] == h and lengths[c] == length:
                same = True
                s = starts[c]
                for k in range(length):
                    if buf[s + k] != data[a + k]:
                        same = False
                        break
                if same:
                    break
            slot = (slot + 1) & mask
        codes[i] = c
        succ[prev] = c
        prev = c
    counts[0] = nlab
    counts[1] = used
    return codes


@kernel
def near(key_of, succ, key, prev, nlab):  # pragma: no cover - compiled
    """The code of ``key`` if it is the person that followed ``prev`` the last time (an extract
    sorted by week repeats its order of persons from week to week), or ``prev`` itself, or one of
    the few codes after it; else -1."""
    c = succ[prev]
    if c >= 0 and key_of[c] == key:
        return c
    for c in range(prev, min(prev + 4, nlab)):
        if key_of[c] == key:
            return c
    return -1


@kernel
def code_of(keys, key_of, succ, key, prev, nlab):  # pragma: no cover - compiled
    """The code of an integer ``key`` (``nlab`` if it is new, and recorded), the row after ``prev``'s."""
    c = near(key_of, succ, key, prev, nlab)
    if c < 0:
        c = find_key(keys, key, nlab)
        if c == nlab:
            key_of[c] = key
    succ[prev] = c
    return c


@kernel
def intern_int(values, keys, key_of, succ, counts):  # pragma: no cover - compiled
    """Dense person codes of integer ids (as :func:`intern_text`)."""
    n = values.shape[0]
    codes = np.empty(n, np.int64)
    nlab = counts[0]
    prev = 0
    for i in range(n):
        c = code_of(keys, key_of, succ, values[i], prev, nlab)
        nlab = max(nlab, c + 1)
        codes[i] = c
        prev = c
    counts[0] = nlab
    return codes


@kernel
def rehash(hashes, nlab, size):  # pragma: no cover - compiled
    """A table of ``size`` slots (a power of two) holding codes 0 … nlab-1 by their hashes (-1: a
    code not in this table)."""
    table = np.full(size, -1, np.int64)
    mask = size - 1
    for c in range(nlab):
        if hashes[c] < 0:
            continue
        slot = hashes[c] & mask
        while table[slot] >= 0:
            slot = (slot + 1) & mask
        table[slot] = c
    return table


@kernel
def rehash_keys(old, size):  # pragma: no cover - compiled
    """The (key, code) pairs of ``old`` in a table of ``size`` slots."""
    table = np.full(2 * size, -1, np.int64)
    for k in range(old.shape[0] // 2):
        if old[2 * k + 1] >= 0:
            find_key(table, old[2 * k], old[2 * k + 1])
    return table


# ------------------------------------------------------------------------------------ weeks as text


@kernel
def parse_weeks(offsets, data, first_year, week_one, weeks_in, out):  # pragma: no cover - compiled
    """Week numbers of 'YYYY-Www' texts (exactly that form, as :func:`panel.parse_week` reads once
    stripped) into ``out``; ``week_one[y - first_year]`` is the week number of year y's week 1 and
    ``weeks_in`` its ISO weeks. Returns the row + 1 of the first text it cannot read (0: none)."""
    for i in range(offsets.shape[0] - 1):
        a = offsets[i]
        if offsets[i + 1] - a != 8 or data[a + 4] != 45 or data[a + 5] != 87:  # '-', 'W'
            return i + 1
        y = 0
        for k in (0, 1, 2, 3):
            d = np.int64(data[a + k]) - 48
            if d < 0 or d > 9:
                return i + 1
            y = y * 10 + d
        w = 0
        for k in (6, 7):
            d = np.int64(data[a + k]) - 48
            if d < 0 or d > 9:
                return i + 1
            w = w * 10 + d
        j = y - first_year
        if j < 0 or j >= week_one.shape[0] or w < 1 or w > weeks_in[j]:
            return i + 1
        out[i] = week_one[j] + w - 1
    return 0


def _string_buffers(col: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(int64 offsets, bytes) of a string column without nulls."""
    wide = pa.types.is_large_string(col.type)
    offsets = np.frombuffer(col.buffers()[1], np.int64 if wide else np.int32, count=len(col) + 1, offset=col.offset * (8 if wide else 4)).astype(np.int64)
    data = col.buffers()[2]
    return offsets, (np.frombuffer(data, np.uint8) if data is not None and data.size else np.zeros(1, np.uint8))


# ------------------------------------------------------------------------------------ the pricing kernel

# One row of int32 per person (a few cache lines, so a row of the panel touches its person's state
# in one place): the last week with rows, the count of that week (-1: not yet decided), the week
# the count started (-1: none) and the count; the last week with an active offer; a ring of bits,
# BITS to a word, marking the weeks with rows (as long as the restart window); per benefit the
# last week on it and the run of weeks up to it; per STAR group of the passive share the last week
# on the group, the unbroken run of weeks up to it and the lowest benefit code of that week.
LAST, COUNT_NOW, START, COUNT, ACTIVE_LAST, RING = 0, 1, 2, 3, 4, 5
BITS = 31


def state_layout(words: int, nb: int, ngroups: int) -> tuple[int, int, np.ndarray]:
    """(first column of the benefits' runs, of the groups, the initial row) of the state."""
    runs = RING + words
    groups = runs + 2 * nb
    init = np.zeros(groups + 3 * ngroups, np.int32)
    init[[LAST, ACTIVE_LAST]] = NO_WEEK
    init[[COUNT_NOW, START]] = -1
    init[runs:groups:2] = NO_WEEK
    init[groups::3] = NO_WEEK
    return runs, groups, init


@kernel
def carry(kr, micro, acc):  # pragma: no cover - compiled
    """Add the millionths in ``acc`` to the (kroner, millionths) accumulators and clear it."""
    for k in range(acc.shape[0]):
        if acc[k] != 0:
            add_micro(kr, micro, k, acc[k])
            acc[k] = 0


@kernel
def ring_count(state, p, lo, hi, size):  # pragma: no cover - compiled
    """Weeks lo … hi (hi - lo < size) marked in person ``p``'s ring of ``size`` bits."""
    total = 0
    x = lo
    while x <= hi:
        pos = x % size
        bit = pos % 31
        take = min(31 - bit, hi - x + 1)
        v = (np.int64(state[p, 5 + pos // 31]) >> bit) & ((np.int64(1) << take) - 1)
        v = v - ((v >> 1) & 0x55555555)  # the set bits of a 31-bit word, counted in parallel
        v = (v & 0x33333333) + ((v >> 2) & 0x33333333)
        v = (v + (v >> 4)) & 0x0F0F0F0F
        total += ((v * 0x01010101) & 0xFFFFFFFF) >> 24
        x += take
    return total


@kernel
def price_block(
    person, week, benefit, activation, amount,
    w0, regime, period, values, is_benefit, subsidised, origin, window, need, max_amount,
    year_of, days_of, group_of, active, ref_cap, state, words, runs, groups,
    kr, micro, rows, ckr, cmicro, cdays, cpdays, flush, status,
):  # pragma: no cover - compiled
    """Price one block of rows, each updating its person's row of ``state`` (see the layout above).

    ``week`` holds week numbers; ``w0`` is the week number of index 0 of the per-week arrays
    (``regime``, ``period``, ``year_of``, ``days_of``). Sums as :func:`refund.sums_from_share` and
    :func:`calendar.add_to_years`, row by row the same integers; the passive share's state
    (:func:`unitcost.passivity.passivity_counts`) follows the rows up to week ``ref_cap``.
    ``status`` = [reason, row, first week, last week]: the reason is OK or why the stream gives up
    at that row."""
    n = person.shape[0]
    size = words * 31
    top = values.shape[3] - 1
    nb = is_benefit.shape[0]
    nweeks = regime.shape[0]
    year0 = year_of[0]
    # millionths added in int64 and carried into (kroner, millionths) every ``flush`` rows (few
    # enough that rows of the largest amount allowed cannot overflow 64 bits)
    acc = np.zeros(kr.shape[0], np.int64)
    for i in range(n):
        if i % flush == 0:
            carry(kr, micro, acc)
        p = person[i]
        w = week[i]
        b = benefit[i]
        s = w - w0
        if s < 0 or s >= nweeks or regime[s] < 0:
            status[0] = NO_RULE
            status[1] = i
            return
        r = regime[s]
        a = amount[i]
        if not (a >= 0.0 and a <= max_amount) or (subsidised[b] and a != 0.0):  # NaN fails too
            status[0] = BAD_AMOUNT
            status[1] = i
            return
        lw = state[p, 0]
        if w < lw:
            status[0] = ORDER
            status[1] = i
            return
        new_week = w > lw
        if new_week:  # the ring: weeks lw+1 … w-1 had no rows, week w has
            if lw == -(1 << 30) or w - lw > size:
                for k in range(words):
                    state[p, 5 + k] = 0
            else:
                x = lw + 1
                while x < w:
                    pos = x % size
                    state[p, 5 + pos // 31] &= ~(1 << (pos % 31))
                    x += 1
            pos = w % size
            state[p, 5 + pos // 31] |= 1 << (pos % 31)
            state[p, 0] = w
            state[p, 1] = -1
        # spell week: consecutive weeks on the same benefit
        j = runs + 2 * b
        lb = state[p, j]
        if lb == w - 1:
            state[p, j + 1] += 1
        elif lb != w:
            state[p, j + 1] = 1
        state[p, j] = w
        c_now = 0
        if is_benefit[b] and w >= origin:
            if state[p, 1] >= 0:
                c_now = state[p, 1]
            else:  # the person's first benefit row this week decides the week's count
                st = state[p, 2]
                if st < 0:
                    state[p, 2] = w
                    c_now = 1
                else:
                    lo = max(st + 1, w - window)
                    # § 6, stk. 1: start over (fewer than ``need`` weeks since lo cannot hold enough self-support)
                    if w - lo >= need and (w - lo) - ring_count(state, p, lo, w - 1, size) >= need:
                        state[p, 2] = w
                        c_now = 1
                    else:
                        c_now = state[p, 3] + 1
                state[p, 3] = c_now
                state[p, 1] = c_now
        if is_benefit[b]:
            wk = state[p, j + 1] if r == 0 else c_now
            share = values[period[s], b, activation[i], min(wk, top)] if wk >= 1 else np.nan
            if np.isnan(share):
                status[0] = NO_RULE
                status[1] = i
                return
        else:
            share = 0.0
        g = b * 2 + r
        qa = micro_of(a)
        qs = micro_of(a * share)
        acc[3 * g] += qa
        acc[3 * g + 1] += qs
        acc[3 * g + 2] += qa - qs
        rows[g] += 1
        # calendar years: a week across New Year split by its days
        add_to_years(ckr, cmicro, cdays, cpdays, year_of[s] - year0, days_of[s], b, nb, a, a * share, new_week)
        # the passive share's state, rows up to the reference week
        if w <= ref_cap:
            if active[activation[i]] and w > state[p, 4]:
                state[p, 4] = w
            gg = group_of[b]
            if gg >= 0:
                q = groups + 3 * gg
                e = state[p, q]
                if e == w:
                    if b < state[p, q + 2]:
                        state[p, q + 2] = b
                else:
                    state[p, q + 1] = state[p, q + 1] + 1 if e == w - 1 else 1
                    state[p, q] = w
                    state[p, q + 2] = b
        if w < status[2]:
            status[2] = w
        if w > status[3]:
            status[3] = w
    carry(kr, micro, acc)
    status[0] = OK


@kernel
def passivity_tally(state, nlab, groups, ngroups, ref, anc, win, nb):  # pragma: no cover - compiled
    """Long-term and passive persons at week ``ref`` by benefit, from the stream's state: as
    :func:`unitcost.passivity.passivity_counts` (an unbroken run of ``anc`` weeks on the group
    ending at ``ref``, counted under the lowest benefit code of the group that week; passive: no
    active row in the ``win`` weeks up to ``ref``)."""
    out = np.zeros((nb, 2), np.int64)
    for p in range(nlab):
        for g in range(ngroups):
            q = groups + 3 * g
            if state[p, q] == ref and state[p, q + 1] >= anc:
                b = state[p, q + 2]
                out[b, 0] += 1
                if state[p, 4] <= ref - win:
                    out[b, 1] += 1
    return out


# ------------------------------------------------------------------------------------ the state


class _State:
    """Persons' codes and their state rows, grown as persons arrive."""

    def __init__(self, text: bool, nb: int, ngroups: int, words: int):
        self.text, self.nb, self.ngroups, self.words = text, nb, ngroups, words
        self.runs, self.groups, self.init = state_layout(words, nb, ngroups)
        self.counts = np.zeros(3, np.int64)
        self.keys = np.full(2 << 16, -1, np.int64)
        self.key_of = np.zeros(0, np.int64)
        self.succ = np.zeros(0, np.int64)
        self.table = np.full(1 << 16, -1, np.int64)
        self.hashes = np.full(0, -1, np.int64)
        self.starts = np.zeros(0, np.int64)
        self.lengths = np.zeros(0, np.int64)
        self.buf = np.zeros(0, np.uint8)
        self.state = np.zeros((0, self.init.shape[0]), np.int32)

    @property
    def persons(self) -> int:
        return int(self.counts[0])

    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.keys, self.key_of, self.succ, self.table, self.hashes, self.starts, self.lengths, self.buf, self.state))

    def grow(self) -> None:
        """A state row for every person seen (doubling, so a block of new persons costs once)."""
        need = self.persons
        if need <= self.state.shape[0]:
            return
        new = np.empty((max(need, 2 * self.state.shape[0]), self.init.shape[0]), np.int32)
        old = self.state.shape[0]
        new[:old] = self.state
        new[old:] = self.init
        self.state = new

    def _room(self, rows: int, text_bytes: int) -> None:
        """Room in the id tables for ``rows`` new persons (and their ids' bytes)."""
        need = self.persons + rows
        if 2 * need > self.keys.shape[0] // 2:
            self.keys = rehash_keys(self.keys, 1 << int(2 * need - 1).bit_length())
        if need > self.key_of.shape[0]:
            cap = max(need, 2 * self.key_of.shape[0])
            for name in ("key_of", "succ"):
                old = getattr(self, name)
                new = np.full(cap, -1, np.int64)
                new[: old.shape[0]] = old
                setattr(self, name, new)
        if not self.text:
            return
        if need > self.hashes.shape[0]:
            cap = max(need, 2 * self.hashes.shape[0])
            for name, fill in (("hashes", -1), ("starts", 0), ("lengths", 0)):
                old = getattr(self, name)
                new = np.full(cap, fill, np.int64)
                new[: old.shape[0]] = old
                setattr(self, name, new)
        if 2 * need > self.table.shape[0]:
            self.table = rehash(self.hashes, self.persons, 1 << int(2 * need - 1).bit_length())
        if int(self.counts[1]) + text_bytes > self.buf.shape[0]:
            new = np.zeros(max(2 * self.buf.shape[0], int(self.counts[1]) + text_bytes), np.uint8)
            new[: self.buf.shape[0]] = self.buf
            self.buf = new

    def codes_of_text(self, col: pa.Array) -> np.ndarray | None:
        """Codes of a string column without nulls; None for an id the sorting path must judge."""
        offsets, data = _string_buffers(col)
        self._room(len(col), int(offsets[-1] - offsets[0]))
        codes = intern_text(offsets, data, self.keys, self.key_of, self.succ, self.table, self.hashes, self.starts, self.lengths, self.buf, self.counts)
        return None if self.counts[2] else codes

    def codes_of_int(self, values: np.ndarray) -> np.ndarray:
        self._room(values.shape[0], 0)
        return intern_int(values, self.keys, self.key_of, self.succ, self.counts)

    def labels_look_missing(self) -> bool:
        """Some id is a spreadsheet's text for an empty cell ('NA', 'null', …): the sorting path
        refuses it. (An id of digits is never one.)"""
        from budgetmodel.financing.panel import MISSING_MARKERS

        if not self.text:
            return False
        n = self.persons
        lengths = self.lengths[:n]
        short = np.flatnonzero((lengths > 0) & (lengths <= max(len(m) for m in MISSING_MARKERS)))
        for c in short:
            s = int(self.starts[c])
            text = bytes(self.buf[s : s + int(self.lengths[c])]).decode("utf-8", "replace")
            if text.lower() in MISSING_MARKERS:
                return True
        return False


# ------------------------------------------------------------------------------------ blocks of a file


class _GiveUp(Exception):
    """The stream cannot price this panel as the sorting path would (see the module doc)."""


def _ahead(items, depth: int = 2):
    """Iterate ``items`` in a thread of its own, up to ``depth`` items ahead: the next block is read
    and converted (pyarrow and the kernels release the GIL) while this one is priced. An exception
    of ``items`` is raised here; leaving early stops the thread and closes ``items``."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry) -> bool:
        while not stop.is_set():
            try:
                q.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for x in items:
                if not put(("item", x)):
                    break
            else:
                put(("done", None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            put(("error", exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=run, name="budgetmodel-stream", daemon=True)
    thread.start()
    try:
        while True:
            kind, x = q.get()
            if kind == "item":
                yield x
            elif kind == "error":
                raise x
            else:
                return
    finally:
        stop.set()
        thread.join()


def _numpy(arr: pa.Array, dtype) -> np.ndarray:
    size = np.dtype(dtype).itemsize
    return np.frombuffer(arr.buffers()[1], dtype=dtype, count=len(arr), offset=arr.offset * size)


def _dictionary_codes(col: pa.Array) -> tuple[np.ndarray, list]:
    """(int32 indices, stripped values) of a dictionary or string column without nulls."""
    import pyarrow.compute as pc

    if col.null_count:
        raise _GiveUp
    if not pa.types.is_dictionary(col.type):
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            raise _GiveUp
        col = pc.dictionary_encode(col)
    if not (pa.types.is_string(col.type.value_type) or pa.types.is_large_string(col.type.value_type)):
        raise _GiveUp
    idx = _numpy(pc.cast(col.indices, pa.int32()), np.int32)
    return idx, [v.strip() for v in col.dictionary.to_pylist()]


def _code_lookup(values: list, allowed: tuple[str, ...], table: dict) -> np.ndarray:
    """int8 codes of a block's distinct values (mapped by the code mapping); any value the sorting
    path would refuse or drop gives up."""
    from budgetmodel.financing.panel_input import translate

    if table:
        values, drop = translate(values, table, allowed)
        if drop:
            raise _GiveUp
    if any(v not in allowed for v in values):
        raise _GiveUp
    return np.array([allowed.index(v) for v in values], dtype=np.int8)


class _Blocks:
    """The columns of each block of a panel file, as the kernels take them."""

    def __init__(self, path: Path, csv_format: str, mapping):
        self.path, self.csv_format, self.mapping = path, csv_format, mapping
        self.week_cache: dict[str, int] = {}
        from budgetmodel.financing.panel import week_number

        years = np.arange(FIRST_YEAR, LAST_YEAR + 2)
        import datetime as dt

        mondays = np.array([np.datetime64(dt.date.fromisocalendar(int(y), 1, 1)) for y in years])
        week_ones = np.asarray(week_number(mondays), np.int64)
        self.week_one = week_ones[:-1].copy()
        self.weeks_in = np.diff(week_ones)

    def week_numbers(self, values: list) -> np.ndarray:
        from budgetmodel.financing.panel import parse_week, week_number

        out = np.empty(len(values), np.int32)
        for k, v in enumerate(values):
            w = self.week_cache.get(v)
            if w is None:
                try:
                    w = self.week_cache[v] = int(week_number(parse_week(v)))
                except ValueError:
                    raise _GiveUp from None
            out[k] = w
        return out

    def columns(self, batch: pa.RecordBatch, danish: bool):
        """(person column, week numbers, benefit, activation, amount) of one block."""
        import pyarrow.compute as pc

        m = self.mapping.mapping if self.mapping is not None else None
        week_col, benefit_col, activation_col = batch.column(1), batch.column(2), batch.column(3)
        if pa.types.is_string(week_col.type) and not week_col.null_count:  # a CSV: read as text, parsed here
            offsets, data = _string_buffers(week_col)
            week = np.empty(len(week_col), np.int32)
            if parse_weeks(offsets, data, FIRST_YEAR, self.week_one, self.weeks_in, week):
                raise _GiveUp
        else:
            idx, values = _dictionary_codes(week_col)
            week = self.week_numbers(values)[idx]
        idx, values = _dictionary_codes(benefit_col)
        benefit = _code_lookup(values, BENEFITS, getattr(m, "benefit", {}) or {})[idx]
        idx, values = _dictionary_codes(activation_col)
        activation = _code_lookup(values, ACTIVATIONS, getattr(m, "activation", {}) or {})[idx]
        col = batch.column(4)
        if danish:
            from budgetmodel.financing.panel import amounts_decimal_comma

            amount, raw = amounts_decimal_comma(pa.chunked_array([col]))
            if raw is not None:
                raise _GiveUp
        else:
            if not (pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or pa.types.is_decimal(col.type)) or col.null_count:
                raise _GiveUp
            amount = _numpy(pc.cast(col, pa.float64()), np.float64)
        return batch.column(0), week, benefit, activation, np.ascontiguousarray(amount)

    def __iter__(self):
        if self.path.suffix.lower() in (".parquet", ".pq"):
            yield from self._parquet()
        else:
            yield from self._csv()

    def _csv(self):
        import pyarrow.csv as pacsv

        from budgetmodel.financing.panel import COLUMNS, check_duplicate_columns, csv_header, require_columns, Where
        from budgetmodel.financing.panel_input import detect_dialect, header_hint

        mapping = self.mapping
        where = Where(str(self.path), "csv")
        csv_header(self.path)
        dialect = detect_dialect(self.path, self.csv_format, mapping.source_name("amount_dkk") if mapping else "amount_dkk")
        header = csv_header(self.path, dialect.delimiter)
        if mapping is not None:
            header = mapping.rename(header)
        check_duplicate_columns(header, where, 1)
        require_columns(header, where, 1, header_hint(header, dialect, mapping))
        # weeks as text, read by parse_weeks (cheaper than a dictionary of them); the codes as
        # dictionaries, built in pyarrow's threads
        code = pa.dictionary(pa.int32(), pa.string())
        types = {"person_id": pa.string(), "week": pa.string(), "benefit": code, "activation": code, "amount_dkk": pa.string() if dialect.decimal == "," else pa.float64()}
        malformed = []

        def on_invalid(row) -> str:
            malformed.append(row)
            return "skip"

        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(use_threads=True, column_names=header, skip_rows=1, block_size=STREAM_BLOCK_BYTES),
                parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter, invalid_row_handler=on_invalid, ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(include_columns=list(COLUMNS), column_types=types, strings_can_be_null=False),
            )
            with reader:
                for batch in reader:
                    if malformed:
                        raise _GiveUp
                    yield self.columns(batch, dialect.decimal == ",")
            if malformed:
                raise _GiveUp
        except (pa.ArrowInvalid, UnicodeDecodeError):
            raise _GiveUp from None

    def _parquet(self):
        import pyarrow.parquet as pq

        from budgetmodel.financing.panel import COLUMNS

        try:
            pf = pq.ParquetFile(self.path)
            names = list(pf.schema_arrow.names)
            renamed = self.mapping.rename(names) if self.mapping is not None else names
            if len(set(renamed)) != len(renamed) or any(c not in renamed for c in COLUMNS):
                raise _GiveUp
            sources = [names[renamed.index(c)] for c in COLUMNS]
            schema = pf.schema_arrow
            codes = [s for s in sources[1:4] if pa.types.is_string(schema.field(s).type) or pa.types.is_large_string(schema.field(s).type)]
            pf.close()
            with pq.ParquetFile(self.path, read_dictionary=codes) as pf:
                for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=sources):
                    yield self.columns(batch, False)
        except (pa.ArrowInvalid, OSError):
            raise _GiveUp from None


# ------------------------------------------------------------------------------------ the summary


def stream_summary(path: Path | str, book, *, csv_format: str = "auto", mapping=None, passivity_at: str | None = None, at_where: tuple = ("--at", None, "at"), memory: int | None = None
) -> dict | None:
    """The summary of :func:`refund.refund_summary` (with its ``passive_share`` block, as the CLI's
    in-memory path gives it) of one panel file in a single pass, or None when this path does not
    apply (see the module doc; the caller then takes the sorting path). ``passivity_at`` is the
    passive share's reference week (``at_where`` names the option in a message); ``memory``: bytes
    the persons' state may take (default 4 GB)."""
    from budgetmodel.financing.sizing import DEFAULT_MEMORY
    from budgetmodel.financing.refund import calendar_years_json, start_warning, summary_json
    from budgetmodel.financing.panel import MAX_ROW_AMOUNT, parse_week, week_number, week_label
    from budgetmodel.financing.calendar import week_year_split
    from budgetmodel.financing.shares import share_tables
    from budgetmodel.unitcost.passivity import STAR_GROUPS, StarData, load_passivity_assumptions, passivity_result, reference_week

    path = Path(path)
    budget = memory if memory is not None else DEFAULT_MEMORY
    st = share_tables(book)
    rules = st.rules
    w0 = int(week_number(np.datetime64(f"{FIRST_YEAR}-01-01")))
    nweeks = int(week_number(np.datetime64(f"{LAST_YEAR}-12-31"))) - w0 + 1
    regime, period = st.week_rules(np.arange(w0, w0 + nweeks, dtype=np.int64))
    year_of, days_of = week_year_split(w0, nweeks)
    year_of = year_of.astype(np.int64)
    days_of = days_of.astype(np.int64)
    nyears = int(year_of[-1] - year_of[0]) + 2
    nb = len(BENEFITS)
    values = np.ascontiguousarray(st.values)
    is_benefit = np.asarray(st.is_benefit, dtype=np.bool_)
    subsidised = np.array([b in SUBSIDISED_EMPLOYMENT for b in BENEFITS])
    origin = int(week_number(rules.count_origin))
    words = -(-(rules.restart_window_weeks + 1) // BITS)
    # rows between carries of the int64 sums: a row adds at most max amount × (1 + largest share) in millionths to a cell
    largest = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0
    flush = max(1, int(2**62 // (MAX_ROW_AMOUNT * exact.MICRO * (1.0 + largest))))

    assumptions = load_passivity_assumptions()
    groups = assumptions.benefit_groups.value
    group_of = np.array([STAR_GROUPS.index(groups[b]) if b in groups else -1 for b in BENEFITS], np.int64)
    active = np.isin(np.arange(len(ACTIVATIONS)), [ACTIVATIONS.index(a) for a in assumptions.active_activations.value])
    try:
        ref_cap = int(week_number(parse_week(passivity_at))) if passivity_at is not None else 1 << 30
    except ValueError:
        ref_cap = 1 << 30  # reference_week names the bad week below

    ngroups = 2 * nb
    kr, micro, rows = np.zeros(3 * ngroups, np.int64), np.zeros(3 * ngroups, np.int64), np.zeros(ngroups, np.int64)
    ckr, cmicro = np.zeros(nyears * nb * 3, np.int64), np.zeros(nyears * nb * 3, np.int64)
    cdays, cpdays = np.zeros(nyears * nb, np.int64), np.zeros(nyears, np.int64)
    status = np.array([OK, -1, 1 << 30, -(1 << 30)], np.int64)
    state: _State | None = None
    try:
        for person_col, week, benefit, activation, amount in _ahead(iter(_Blocks(path, csv_format, mapping))):
            if not len(week):
                continue
            if person_col.null_count:
                return None
            text = pa.types.is_string(person_col.type) or pa.types.is_large_string(person_col.type)
            if not text and not pa.types.is_integer(person_col.type):
                return None
            if state is None:
                state = _State(text, nb, len(STAR_GROUPS), words)
            elif state.text != text:
                return None
            if text:
                person = state.codes_of_text(person_col)
                if person is None:
                    return None
            else:
                import pyarrow.compute as pc

                try:
                    ids = pc.cast(person_col, pa.int64())
                except (pa.ArrowInvalid, OverflowError):  # an id beyond int64: the sorting path says so
                    return None
                person = state.codes_of_int(np.ascontiguousarray(_numpy(ids, np.int64)))
            state.grow()
            # the persons' state may take half the budget: while it doubles, the old rows sit beside
            # the new (1,5 × for a moment), and the blocks in flight and the libraries need the rest
            # (5 million persons: 1,55 GB of state, 2,2 GB in all)
            if state.nbytes() > budget // 2:
                return None
            price_block(
                person, week, benefit, activation, amount,
                w0, regime, period, values, is_benefit, subsidised, origin, rules.restart_window_weeks, rules.restart_selfsupport_weeks, MAX_ROW_AMOUNT,
                year_of, days_of, group_of, active, ref_cap, state.state, state.words, state.runs, state.groups,
                kr, micro, rows, ckr, cmicro, cdays, cpdays, flush, status,
            )
            if status[0] != OK:
                return None
    except _GiveUp:
        return None
    if state is None or state.labels_look_missing():
        return None  # an empty panel, or an id the sorting path refuses

    first, last = int(status[2]), int(status[3])
    sums = exact.exact(kr.reshape(ngroups, 3), micro.reshape(ngroups, 3))
    calendar = {
        "year0": int(year_of[0]),
        "money": exact.exact(ckr.reshape(nyears, nb, 3), cmicro.reshape(nyears, nb, 3)),
        "days": cdays.reshape(nyears, nb),
        "person_days": cpdays,
    }
    warning = start_warning(first, origin)
    summary = summary_json(sums, rows, state.persons, (week_label(first), week_label(last)), calendar_years_json(calendar)["years"], [warning] if warning else [])

    ref, message = reference_week(first, last, passivity_at, assumptions, str(path), at_where, strict=False)
    counts = None
    if ref is not None and message is None:
        counts = passivity_tally(state.state, state.persons, state.groups, len(STAR_GROUPS), ref, assumptions.anciennity_weeks.value, assumptions.window_weeks.value, nb)
    summary["passive_share"] = passivity_result(counts, ref, StarData.load(), assumptions, message).as_dict()
    return summary


def warm() -> None:
    """Run every kernel of the stream once on tiny inputs, compiled (``python -m budgetmodel.jit``:
    a text and an integer panel, and the id tables grown)."""
    import tempfile

    import pyarrow.parquet as pq

    from budgetmodel.financing.shares import load_refund_rates

    book = load_refund_rates()
    with tempfile.TemporaryDirectory() as d:
        rows = {"week": ["2017-W01", "2017-W02"], "benefit": ["dagpenge"] * 2, "activation": ["none"] * 2, "amount_dkk": [1.5, 1.5]}
        for name, ids in (("text.parquet", ["01", "A1"]), ("int.parquet", [1, 1])):
            pq.write_table(pa.table({"person_id": ids, **rows}), Path(d) / name)
            stream_summary(Path(d) / name, book)
        (Path(d) / "text.csv").write_text("person_id,week,benefit,activation,amount_dkk\n01,2017-W01,dagpenge,none,1.5\n")
        stream_summary(Path(d) / "text.csv", book)
    state = _State(True, len(BENEFITS), 3, 1)
    state._room(1 << 16, 0)  # grows both id tables: rehash and rehash_keys
    passivity_tally(state.init[None, :].copy(), 1, state.groups, 3, 0, 1, 1, len(BENEFITS))  # a panel too short above skipped it


__all__ = ["stream_summary"]
