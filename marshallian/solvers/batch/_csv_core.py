"""Byte-level CSV cells, compiled by Numba (see :mod:`.csvtext`, which loads this file).

``format_floats`` writes each double as Python's ``repr`` writes it: the shortest digits
that read back as the same double (the closest such digits when several are as short),
found by Ulf Adams' Ryū algorithm ("Ryū: fast float-to-string conversion", PLDI 2018;
the reference ``d2s.c``, 125-bit tables), and laid out as ``float.__repr__`` does (fixed
notation when the decimal point falls within ``-4 < decpt <= 16``, else ``d.ddde±XX``;
``.0`` after a whole number; ``inf``, ``-inf``, ``nan``). ``tests/test_batch.py`` checks
it against ``repr`` (hypothesis over every finite double, subnormals, ``-0.0``, powers of
ten and of two, and random bit patterns). ``format_ints`` writes integers as ``str``,
``join_rows`` lays the cells of a table out as CSV lines.

Plain Python over NumPy arrays (Numba's subset): no ``import`` of the package, uint64
arithmetic kept in uint64 throughout.
"""

import numpy as np

#: Bytes a cell of ``format_floats`` may take (``-2.2250738585072014e-308``).
FLOAT_WIDTH = 24
#: Bytes a cell of ``format_ints`` may take (``-9223372036854775808``).
INT_WIDTH = 20

_POW5_INV_BITCOUNT = 125
_POW5_BITCOUNT = 125


def _tables():
    inv = np.zeros((342, 2), dtype=np.uint64)
    for q in range(342):
        p = 5**q
        bits = p.bit_length()
        v = (1 << (bits - 1 + _POW5_INV_BITCOUNT)) // p + 1
        inv[q, 0] = v & 0xFFFFFFFFFFFFFFFF
        inv[q, 1] = v >> 64
    pos = np.zeros((326, 2), dtype=np.uint64)
    for i in range(326):
        p = 5**i
        bits = p.bit_length()
        v = p >> (bits - _POW5_BITCOUNT) if bits >= _POW5_BITCOUNT else p << (_POW5_BITCOUNT - bits)
        pos[i, 0] = v & 0xFFFFFFFFFFFFFFFF
        pos[i, 1] = v >> 64
    return inv, pos


_POW5_INV_SPLIT, _POW5_SPLIT = _tables()
_U0 = np.uint64(0)
_U1 = np.uint64(1)
_U2 = np.uint64(2)
_U4 = np.uint64(4)
_U5 = np.uint64(5)
_U10 = np.uint64(10)
_U32 = np.uint64(32)
_U64 = np.uint64(64)
_MASK32 = np.uint64(0xFFFFFFFF)
_MANTISSA_MASK = np.uint64((1 << 52) - 1)
_HIDDEN = np.uint64(1 << 52)


def _pow5bits(e):
    return ((e * 1217359) >> 19) + 1


def _log10_pow2(e):
    return (e * 78913) >> 18


def _log10_pow5(e):
    return (e * 732923) >> 20


def _pow5_factor(value):
    count = 0
    while value % _U5 == _U0:
        value = value // _U5
        count += 1
    return count


def _umul128_hi_lo(a, b):
    a_lo = a & _MASK32
    a_hi = a >> _U32
    b_lo = b & _MASK32
    b_hi = b >> _U32
    b00 = a_lo * b_lo
    b01 = a_lo * b_hi
    b10 = a_hi * b_lo
    b11 = a_hi * b_hi
    mid1 = b10 + (b00 >> _U32)
    mid2 = b01 + (mid1 & _MASK32)
    hi = b11 + (mid1 >> _U32) + (mid2 >> _U32)
    lo = ((mid2 & _MASK32) << _U32) | (b00 & _MASK32)
    return hi, lo


def _mul_shift64(m, mul_lo, mul_hi, j):
    """``(m * mul) >> j`` for the 128-bit ``mul`` and ``64 < j < 128``."""
    high1, low1 = _umul128_hi_lo(m, mul_hi)
    high0, _low0 = _umul128_hi_lo(m, mul_lo)
    s = high0 + low1
    if s < high0:
        high1 += _U1
    dist = np.uint64(j - 64)
    return (high1 << (_U64 - dist)) | (s >> dist)


def _drop_digit(vr, vp, vm):
    """The three numbers without their last decimal digit, and ``vr``'s last digit."""
    return vr // _U10, vp // _U10, vm // _U10, vr % _U10


def _shortest(mantissa, exponent):
    """Ryū's ``d2d``: the shortest decimal ``output * 10**exp`` of a positive finite
    double given by its raw mantissa and biased exponent."""
    if exponent == 0:
        e2 = 1 - 1023 - 52 - 2
        m2 = mantissa
    else:
        e2 = exponent - 1023 - 52 - 2
        m2 = _HIDDEN | mantissa
    even = (m2 & _U1) == _U0
    accept_bounds = even
    mv = _U4 * m2
    mm_shift = np.uint64(1) if (mantissa != _U0 or exponent <= 1) else np.uint64(0)
    vm_trailing = False
    vr_trailing = False
    vp_down = False
    if e2 >= 0:
        q = _log10_pow2(e2) - (1 if e2 > 3 else 0)
        e10 = q
        k = _POW5_INV_BITCOUNT + _pow5bits(q) - 1
        i = -e2 + q + k
        lo = _POW5_INV_SPLIT[q, 0]
        hi = _POW5_INV_SPLIT[q, 1]
        shift = i
        if q <= 21:
            if mv % _U5 == _U0:
                vr_trailing = _pow5_factor(mv) >= q
            elif accept_bounds:
                vm_trailing = _pow5_factor(mv - _U1 - mm_shift) >= q
            else:
                vp_down = _pow5_factor(mv + _U2) >= q
    else:
        q = _log10_pow5(-e2) - (1 if -e2 > 1 else 0)
        e10 = q + e2
        i = -e2 - q
        k = _pow5bits(i) - _POW5_BITCOUNT
        j = q - k
        lo = _POW5_SPLIT[i, 0]
        hi = _POW5_SPLIT[i, 1]
        shift = j
        if q <= 1:
            vr_trailing = True
            if accept_bounds:
                vm_trailing = mm_shift == _U1
            else:
                vp_down = True
        elif q < 63:
            # mv has at least q trailing zero bits
            vr_trailing = (mv & ((_U1 << np.uint64(q)) - _U1)) == _U0
    # the value and its interval's bounds, scaled by 10**-e10
    vr = _mul_shift64(_U4 * m2, lo, hi, shift)
    vp = _mul_shift64(_U4 * m2 + _U2, lo, hi, shift)
    vm = _mul_shift64(_U4 * m2 - _U1 - mm_shift, lo, hi, shift)
    if vp_down:
        vp -= _U1
    removed = 0
    last = _U0
    if vm_trailing or vr_trailing:
        while vp // _U10 > vm // _U10:
            vm_trailing = vm_trailing and vm % _U10 == _U0
            vr_trailing = vr_trailing and last == _U0
            vr, vp, vm, last = _drop_digit(vr, vp, vm)
            removed += 1
        if vm_trailing:
            while vm % _U10 == _U0:
                vr_trailing = vr_trailing and last == _U0
                vr, vp, vm, last = _drop_digit(vr, vp, vm)
                removed += 1
        if vr_trailing and last == _U5 and vr % _U2 == _U0:
            last = np.uint64(4)  # round to even
        up = (vr == vm and (not accept_bounds or not vm_trailing)) or last >= _U5
        output = vr + (_U1 if up else _U0)
    else:
        round_up = False
        while vp // _U10 > vm // _U10:
            vr, vp, vm, last = _drop_digit(vr, vp, vm)
            round_up = last >= _U5
            removed += 1
        output = vr + (_U1 if (vr == vm or round_up) else _U0)
    return output, e10 + removed


def _put_text(out, pos, text):
    for c in text:
        out[pos] = c
        pos += 1
    return pos


def _put_exponent(out, pos, e):
    """Write ``e+XX``/``e-XX`` (two digits at least, as Python does); the new position."""
    out[pos] = 101  # 'e'
    if e < 0:
        out[pos + 1] = 45  # '-'
        e = -e
    else:
        out[pos + 1] = 43  # '+'
    pos += 2
    if e >= 100:
        out[pos] = 48 + e // 100
        pos += 1
    out[pos] = 48 + (e // 10) % 10
    out[pos + 1] = 48 + e % 10
    return pos + 2


def _put_fraction_start(out, pos, zeros):
    """Write ``0.`` and ``zeros`` zeros; the new position."""
    out[pos] = 48
    out[pos + 1] = 46
    pos += 2
    for _ in range(zeros):
        out[pos] = 48
        pos += 1
    return pos


_INF = np.frombuffer(b"inf", dtype=np.uint8)
_NAN = np.frombuffer(b"nan", dtype=np.uint8)
_ZERO = np.frombuffer(b"0.0", dtype=np.uint8)


def _format_one(bits, out, digits):
    """Write ``repr`` of the double whose IEEE bits are ``bits`` into ``out`` (room for
    :data:`FLOAT_WIDTH` bytes; ``digits``: room for 17); returns its length."""
    negative = (bits >> np.uint64(63)) != _U0
    exponent = int((bits >> np.uint64(52)) & np.uint64(0x7FF))
    mantissa = bits & _MANTISSA_MASK
    pos = 0
    if exponent == 0x7FF:
        if mantissa != _U0:
            return _put_text(out, 0, _NAN)
        if negative:
            out[0] = 45  # '-'
            pos = 1
        return _put_text(out, pos, _INF)
    if negative:
        out[0] = 45
        pos = 1
    if exponent == 0 and mantissa == _U0:
        return _put_text(out, pos, _ZERO)
    output, exp10 = _shortest(mantissa, exponent)
    n = 0
    while output > _U0:
        digits[n] = 48 + np.uint8(output % _U10)
        output //= _U10
        n += 1
    # digits[n-1] is the leading digit; the value is 0.d1d2... * 10**decpt
    decpt = n + exp10
    if decpt <= -4 or decpt > 16:
        out[pos] = digits[n - 1]
        pos += 1
        if n > 1:
            out[pos] = 46  # '.'
            pos += 1
            for t in range(n - 2, -1, -1):
                out[pos] = digits[t]
                pos += 1
        return _put_exponent(out, pos, decpt - 1)
    if decpt <= 0:
        pos = _put_fraction_start(out, pos, -decpt)
        for t in range(n - 1, -1, -1):
            out[pos] = digits[t]
            pos += 1
        return pos
    for t in range(n - 1, -1, -1):
        if n - 1 - t == decpt:
            out[pos] = 46
            pos += 1
        out[pos] = digits[t]
        pos += 1
    if decpt >= n:
        for _ in range(decpt - n):
            out[pos] = 48
            pos += 1
        out[pos] = 46
        out[pos + 1] = 48
        pos += 2
    return pos


def format_floats(values):
    """``repr`` of every double of ``values`` (1-D float64): bytes ``(n, FLOAT_WIDTH)``,
    and each cell's length."""
    n = values.shape[0]
    bits = values.view(np.uint64)
    out = np.empty((n, FLOAT_WIDTH), dtype=np.uint8)
    lengths = np.empty(n, dtype=np.int64)
    digits = np.empty(17, dtype=np.uint8)
    for i in range(n):
        lengths[i] = _format_one(bits[i], out[i], digits)
    return out, lengths


def format_ints(values):
    """``str`` of every integer of ``values`` (1-D int64): bytes ``(n, INT_WIDTH)`` and
    lengths."""
    n = values.shape[0]
    out = np.empty((n, INT_WIDTH), dtype=np.uint8)
    lengths = np.empty(n, dtype=np.int64)
    digits = np.empty(INT_WIDTH, dtype=np.uint8)
    for i in range(n):
        v = values[i]
        pos = 0
        if v < 0:
            out[i, 0] = 45
            pos = 1
            u = np.uint64(-(v + 1)) + _U1  # the magnitude (no overflow at the minimum)
        else:
            u = np.uint64(v)
        k = 0
        while True:  # digits, last first
            digits[k] = 48 + np.uint8(u % _U10)
            k += 1
            u //= _U10
            if u == _U0:
                break
        for t in range(k - 1, -1, -1):
            out[i, pos] = digits[t]
            pos += 1
        lengths[i] = pos
    return out, lengths


def join_rows(blob, starts, lengths, floats, room):
    """CSV lines: row ``i`` is the cells of every column ``c``, separated by commas, ended
    by ``\\n``: ``blob[starts[i, c] : starts[i, c] + lengths[i, c]]``, or, where
    ``starts[i, c] = -1 - f``, ``repr`` of ``floats[i, f]`` written in place. ``room``:
    bytes the lines may take (cells, a comma each, :data:`FLOAT_WIDTH` a float). Returns
    the lines and each row's end in them."""
    n, ncols = starts.shape
    out = np.empty(room, dtype=np.uint8)
    ends = np.empty(n, dtype=np.int64)
    bits = floats.view(np.uint64)
    digits = np.empty(17, dtype=np.uint8)
    pos = 0
    for i in range(n):
        for c in range(ncols):
            s = starts[i, c]
            if s < 0:
                pos += _format_one(bits[i, -1 - s], out[pos : pos + FLOAT_WIDTH], digits)
            else:
                k = lengths[i, c]
                for t in range(k):
                    out[pos + t] = blob[s + t]
                pos += k
            out[pos] = 44
            pos += 1
        out[pos - 1] = 10
        ends[i] = pos
    return out[:pos], ends


def _put_digits(out, pos, head):
    """Write the decimal digits of ``head`` (> 0, uint64) at ``pos``; the new position."""
    n = 0
    t = head
    while t > _U0:
        t //= _U10
        n += 1
    for q in range(n - 1, -1, -1):
        out[pos + q] = 48 + np.uint8(head % _U10)
        head //= _U10
    return pos + n


def _format_g4(bits, out, pos):
    """Write ``f"{x:.4g}"`` of the double with IEEE bits ``bits`` at ``out[pos:]``;
    returns (new position, exact). Not exact (nothing written to trust) when the shortest
    digits sit on a rounding tie at the fourth digit (``9999.5``, ``0.12345``), or for a
    subnormal: the exact binary value then decides, which Python's ``format`` does.

    For a normal double ``x`` (53 bits: its rounding interval is far narrower than a unit
    of the fifth digit) the rounding of the shortest digits ``d`` is that of ``x`` itself:
    a five-digit midpoint strictly between ``x`` and ``d`` would read back as ``x`` and be
    shorter than ``d`` (or as short and closer), which the shortest digits exclude."""
    negative = (bits >> np.uint64(63)) != _U0
    exponent = int((bits >> np.uint64(52)) & np.uint64(0x7FF))
    mantissa = bits & _MANTISSA_MASK
    if exponent == 0x7FF:
        if mantissa != _U0:
            return _put_text(out, pos, _NAN), True
        if negative:
            out[pos] = 45
            pos += 1
        return _put_text(out, pos, _INF), True
    if negative:
        out[pos] = 45
        pos += 1
    if exponent == 0:  # zero; a subnormal's few bits make its shortest digits too short
        out[pos] = 48
        return pos + 1, mantissa == _U0
    head, p = _shortest(mantissa, exponent)
    n = 0
    t = head
    while t > _U0:
        t //= _U10
        n += 1
    if n > 4:
        scale = _U1
        for _ in range(n - 4):
            scale *= _U10
        rest = head % scale
        head //= scale
        p += n - 4
        half = scale // _U2
        if rest == half:
            return pos, False
        if rest > half:
            head += _U1
            if head == np.uint64(10000):
                head = np.uint64(1000)
                p += 1
    while head % _U10 == _U0:  # %g drops trailing zeros
        head //= _U10
        p += 1
    m = 0
    t = head
    while t > _U0:
        t //= _U10
        m += 1
    x = m - 1 + p  # the exponent of the leading digit
    if x < -4 or x >= 4:
        lead = head
        for _ in range(m - 1):
            lead //= _U10
        out[pos] = 48 + np.uint8(lead)
        pos += 1
        if m > 1:
            out[pos] = 46
            pos += 1
            scale = _U1
            for _ in range(m - 1):
                scale *= _U10
            rest = head % scale
            for q in range(m - 2, -1, -1):
                out[pos + q] = 48 + np.uint8(rest % _U10)
                rest //= _U10
            pos += m - 1
        return _put_exponent(out, pos, x), True
    if p >= 0:
        pos = _put_digits(out, pos, head)
        for _ in range(p):
            out[pos] = 48
            pos += 1
        return pos, True
    point = m + p  # digits before the decimal point
    if point <= 0:
        return _put_digits(out, _put_fraction_start(out, pos, -point), head), True
    end = _put_digits(out, pos, head)
    for q in range(end - 1, pos + point - 1, -1):  # open the point
        out[q + 1] = out[q]
    out[pos + point] = 46
    return end + 1, True


def format_g4(values):
    """``f"{x:.4g}"`` of every double of ``values``: bytes ``(n, FLOAT_WIDTH)``, lengths,
    and whether each is exact (else Python's ``format`` must write it, see
    :func:`_format_g4`)."""
    n = values.shape[0]
    bits = values.view(np.uint64)
    out = np.empty((n, FLOAT_WIDTH), dtype=np.uint8)
    lengths = np.empty(n, dtype=np.int64)
    exact = np.empty(n, dtype=np.bool_)
    for i in range(n):
        lengths[i], exact[i] = _format_g4(bits[i], out[i], 0)
    return out, lengths, exact


def activity_texts(labor, regime, slots, labels, label_starts, label_ends, rising, room):
    """``Equilibrium.describe_activities()`` of every row: row ``i`` (regime
    ``r = regime[i]``) lists, for each slot ``s`` of its regime, the label
    ``labels[label_starts[r, s] : label_ends[r, s]]`` (``"1:backward="``, with ``", "``
    before all but the first), ``labor[i, slots[r, s]]`` as ``.4g`` and ``"~"`` where
    ``rising[r, s]``; ``slots[r, s] < 0`` ends the list. ``room``: bytes a row may take.
    Returns the text (bytes), each row's end in it, and whether every number of the row
    is exact (:func:`_format_g4`)."""
    n = labor.shape[0]
    width = slots.shape[1]
    out = np.empty(n * room, dtype=np.uint8)
    ends = np.empty(n, dtype=np.int64)
    exact = np.ones(n, dtype=np.bool_)
    bits = labor.view(np.uint64)
    pos = 0
    for i in range(n):
        r = regime[i]
        for s in range(width):
            k = slots[r, s]
            if k < 0:
                break
            for t in range(label_starts[r, s], label_ends[r, s]):
                out[pos] = labels[t]
                pos += 1
            pos, ok = _format_g4(bits[i, k], out, pos)
            if not ok:
                exact[i] = False
            if rising[r, s]:
                out[pos] = 126  # '~'
                pos += 1
        ends[i] = pos
    return out[:pos], ends, exact


def csv_cells(blob, starts, lengths):
    """Text cells ``blob[starts[i] : starts[i] + lengths[i]]`` as CSV cells (the csv
    module's minimal quoting): a cell holding a comma is put between double quotes.
    Returns the new blob, starts and lengths, and False (nothing to use) when a cell holds
    a double quote or a line end (Python's quoting then writes the column)."""
    n = starts.shape[0]
    total = 0
    for i in range(n):
        total += lengths[i] + 2
    out = np.empty(total, dtype=np.uint8)
    new_starts = np.empty(n, dtype=np.int64)
    new_lengths = np.empty(n, dtype=np.int64)
    pos = 0
    for i in range(n):
        s = starts[i]
        k = lengths[i]
        comma = False
        for t in range(s, s + k):
            c = blob[t]
            if c == 34 or c == 10 or c == 13:
                return out, new_starts, new_lengths, False
            if c == 44:
                comma = True
        new_starts[i] = pos
        if comma:
            out[pos] = 34
            pos += 1
        for t in range(k):
            out[pos + t] = blob[s + t]
        pos += k
        if comma:
            out[pos] = 34
            pos += 1
        new_lengths[i] = pos - new_starts[i]
    return out[:pos], new_starts, new_lengths, True
